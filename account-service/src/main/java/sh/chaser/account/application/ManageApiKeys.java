package sh.chaser.account.application;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import sh.chaser.account.domain.ErrorCode;
import sh.chaser.account.domain.KeyScopes;
import sh.chaser.account.persistence.ApiKeyEntity;
import sh.chaser.account.persistence.PgApiKeyRepository;
import sh.chaser.common.api.ServiceException;
import sh.chaser.common.messaging.Audit;
import sh.chaser.common.messaging.Outbox;
import sh.chaser.common.security.InternalCaller;

/** A user's own API keys in the account the request acts in. */
@ApplicationScoped
public class ManageApiKeys {

    private static final int NAME_MAX = 100;

    @Inject
    PgApiKeyRepository keys;
    @Inject
    IssueApiKey issueApiKey;
    @Inject
    Audit audit;
    @Inject
    Outbox outbox;

    @WithTransaction
    public Uni<IssueApiKey.Issued> create(InternalCaller caller, String name, List<String> requestedScopes) {
        requireUser(caller);
        if (name != null && (name.isBlank() || name.length() > NAME_MAX)) {
            throw new ServiceException(ErrorCode.INVALID_REQUEST, "name must be 1 to " + NAME_MAX + " characters",
                    "name");
        }
        List<String> scopes = KeyScopes.validate(requestedScopes);
        KeyScopes.checkNoEscalation(scopes, caller.fullAccess(), caller.scopes());
        return issueApiKey.issue(caller.accountId(), caller.principalId(), name, scopes)
                .call(issued -> audit.success(caller, "api_key.create", "api_key", issued.key().id.toString(),
                        "created API key " + issued.key().keyPrefix, java.util.Map.of("scopes", scopes)));
    }

    @WithSession
    public Uni<List<ApiKeyEntity>> list(InternalCaller caller) {
        requireUser(caller);
        return keys.list("accountId = ?1 and userId = ?2 and revokedAt is null order by createdAt desc",
                caller.accountId(), caller.principalId());
    }

    /** Owners and admins may revoke any user key of the account; others only their own. */
    @WithTransaction
    public Uni<Void> revoke(InternalCaller caller, UUID keyId) {
        requireUser(caller);
        return keys.find("id = ?1 and accountId = ?2 and userId is not null and revokedAt is null", keyId,
                caller.accountId()).firstResult()
                .flatMap(key -> {
                    if (key == null || !(key.userId.equals(caller.principalId()) || caller.isOwnerOrAdmin())) {
                        throw new ServiceException(ErrorCode.API_KEY_NOT_FOUND,
                                "no API key " + keyId + " in this account");
                    }
                    key.revokedAt = OffsetDateTime.now(ZoneOffset.UTC);
                    return AccountEvents.keyRevoked(outbox, key)
                            .call(v -> audit.success(caller, "api_key.revoke", "api_key", keyId.toString(),
                                    "revoked API key " + key.keyPrefix, null));
                });
    }

    private static void requireUser(InternalCaller caller) {
        CallerRules.requireUser(caller, "service accounts manage keys through /v1/accounts/current/service-accounts");
    }
}
