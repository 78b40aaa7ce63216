package sh.chaser.account.application;

import io.smallrye.mutiny.Uni;
import java.util.UUID;
import sh.chaser.account.persistence.ApiKeyEntity;
import sh.chaser.account.persistence.ServiceAccountEntity;
import sh.chaser.common.messaging.Outbox;
import sh.chaser.common.messaging.Topics;
import sh.chaser.proto.events.v1.ApiKeyRevoked;
import sh.chaser.proto.events.v1.MembershipChanged;
import sh.chaser.proto.events.v1.ServiceAccountChanged;

/**
 * Facts about credentials on {@code chaser.accounts.v1} (payloads in events.proto). Gateways drop
 * cached principals when they see one, so a revoked key or a disabled service account stops
 * working at once everywhere.
 */
final class AccountEvents {

    static final String KEY_REVOKED = sh.chaser.contracts.EventTypes.API_KEY_REVOKED;
    static final String SERVICE_ACCOUNT_CHANGED = sh.chaser.contracts.EventTypes.SERVICE_ACCOUNT_CHANGED;
    static final String MEMBERSHIP_CHANGED = sh.chaser.contracts.EventTypes.MEMBERSHIP_CHANGED;
    static final String LIMITS_CHANGED = sh.chaser.contracts.EventTypes.ACCOUNT_LIMITS_CHANGED;

    private AccountEvents() {}

    static Uni<Void> keyRevoked(Outbox outbox, ApiKeyEntity key) {
        return keyRevoked(outbox, key.accountId, key.id);
    }

    static Uni<Void> keyRevoked(Outbox outbox, UUID accountId, UUID keyId) {
        return outbox.record(Topics.ACCOUNTS, KEY_REVOKED, keyId.toString(), ApiKeyRevoked.newBuilder()
                .setKeyId(keyId.toString()).setAccountId(accountId.toString()).build());
    }

    static Uni<Void> serviceAccountChanged(Outbox outbox, ServiceAccountEntity sa) {
        return outbox.record(Topics.ACCOUNTS, SERVICE_ACCOUNT_CHANGED, sa.id.toString(),
                ServiceAccountChanged.newBuilder()
                        .setServiceAccountId(sa.id.toString()).setAccountId(sa.accountId.toString())
                        .setDisabled(sa.disabled).setDeleted(sa.deletedAt != null).build());
    }

    static Uni<Void> limitsChanged(Outbox outbox, UUID accountId) {
        return outbox.record(Topics.ACCOUNTS, LIMITS_CHANGED, accountId.toString(),
                sh.chaser.proto.events.v1.AccountLimitsChanged.newBuilder().setAccountId(accountId.toString()).build());
    }

    static Uni<Void> membershipChanged(Outbox outbox, UUID accountId, UUID userId) {
        return outbox.record(Topics.ACCOUNTS, MEMBERSHIP_CHANGED, accountId.toString(), MembershipChanged.newBuilder()
                .setAccountId(accountId.toString()).setUserId(userId.toString()).build());
    }
}
