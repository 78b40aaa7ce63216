package sh.chaser.account.application;

import io.smallrye.mutiny.Uni;
import java.util.Map;
import java.util.UUID;
import sh.chaser.account.persistence.ApiKeyEntity;
import sh.chaser.account.persistence.ServiceAccountEntity;
import sh.chaser.common.messaging.Outbox;
import sh.chaser.common.messaging.Topics;

/**
 * Facts about credentials on {@code chaser.accounts.v1}. Gateways drop cached principals when
 * they see one, so a revoked key or a disabled service account stops working at once everywhere.
 */
final class AccountEvents {

    static final String KEY_REVOKED = "sh.chaser.account.api_key.revoked.v1";
    static final String SERVICE_ACCOUNT_CHANGED = "sh.chaser.account.service_account.changed.v1";
    static final String MEMBERSHIP_CHANGED = "sh.chaser.account.membership.changed.v1";

    private AccountEvents() {
    }

    static Uni<Void> keyRevoked(Outbox outbox, ApiKeyEntity key) {
        return keyRevoked(outbox, key.accountId, key.id);
    }

    static Uni<Void> keyRevoked(Outbox outbox, UUID accountId, UUID keyId) {
        return outbox.record(Topics.ACCOUNTS, KEY_REVOKED, keyId.toString(),
                Map.of("key_id", keyId.toString(), "account_id", accountId.toString()));
    }

    static Uni<Void> serviceAccountChanged(Outbox outbox, ServiceAccountEntity sa) {
        return outbox.record(Topics.ACCOUNTS, SERVICE_ACCOUNT_CHANGED, sa.id.toString(), Map.of(
                "service_account_id", sa.id.toString(), "account_id", sa.accountId.toString(),
                "disabled", sa.disabled, "deleted", sa.deletedAt != null));
    }

    static Uni<Void> membershipChanged(Outbox outbox, UUID accountId, UUID userId) {
        return outbox.record(Topics.ACCOUNTS, MEMBERSHIP_CHANGED, accountId.toString(),
                Map.of("account_id", accountId.toString(), "user_id", userId.toString()));
    }
}
