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
import sh.chaser.account.domain.AccountNames;
import sh.chaser.account.domain.ErrorCode;
import sh.chaser.account.domain.KeyScopes;
import sh.chaser.account.persistence.ApiKeyEntity;
import sh.chaser.account.persistence.PgAccountRepository;
import sh.chaser.account.persistence.PgApiKeyRepository;
import sh.chaser.account.persistence.PgServiceAccountRepository;
import sh.chaser.account.persistence.ServiceAccountEntity;
import sh.chaser.common.api.ServiceException;
import sh.chaser.common.messaging.Audit;
import sh.chaser.common.messaging.Outbox;
import sh.chaser.common.security.InternalCaller;

/** Service accounts of an organization and their keys; owners and admins only. */
@ApplicationScoped
public class ManageServiceAccounts {

    @Inject
    PgServiceAccountRepository serviceAccounts;
    @Inject
    PgAccountRepository accounts;
    @Inject
    PgApiKeyRepository keys;
    @Inject
    IssueApiKey issueApiKey;
    @Inject
    Audit audit;
    @Inject
    Outbox outbox;

    @WithSession
    public Uni<List<ServiceAccountEntity>> list(InternalCaller caller) {
        requireManager(caller);
        return serviceAccounts.list("accountId = ?1 and deletedAt is null order by createdAt", caller.accountId());
    }

    @WithTransaction
    public Uni<ServiceAccountEntity> create(InternalCaller caller, String rawName) {
        requireManager(caller);
        String name = AccountNames.validate(rawName);
        return accounts.findById(caller.accountId()).flatMap(account -> {
            if (account == null || !"organization".equals(account.type)) {
                throw new ServiceException(ErrorCode.FORBIDDEN, "service accounts belong to organizations");
            }
            ServiceAccountEntity sa = new ServiceAccountEntity();
            sa.id = UUID.randomUUID();
            sa.accountId = account.id;
            sa.name = name;
            sa.createdBy = caller.principalId();
            sa.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
            return serviceAccounts.persist(sa);
        }).call(sa -> audit.success(caller, "service_account.create", "service_account", sa.id.toString(),
                "created service account " + sa.name, null));
    }

    /** A disabled service account's keys stop working; enabling it again restores them. */
    @WithTransaction
    public Uni<ServiceAccountEntity> setDisabled(InternalCaller caller, UUID id, Boolean disabled) {
        requireManager(caller);
        if (disabled == null) {
            throw new ServiceException(ErrorCode.INVALID_REQUEST, "disabled (true or false) is required", "disabled");
        }
        return live(caller, id).map(sa -> {
            sa.disabled = disabled;
            return sa;
        }).call(sa -> AccountEvents.serviceAccountChanged(outbox, sa))
                .call(sa -> audit.success(caller, "service_account.update", "service_account", sa.id.toString(),
                        (disabled ? "disabled " : "enabled ") + sa.name, java.util.Map.of("disabled", disabled)));
    }

    /** Deleting revokes every key of the service account. */
    @WithTransaction
    public Uni<Void> delete(InternalCaller caller, UUID id) {
        requireManager(caller);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return live(caller, id).flatMap(sa -> {
            sa.deletedAt = now;
            return keys.update("revokedAt = ?1 where serviceAccountId = ?2 and revokedAt is null", now, sa.id)
                    .call(n -> AccountEvents.serviceAccountChanged(outbox, sa))
                    .call(n -> audit.success(caller, "service_account.delete", "service_account", sa.id.toString(),
                            "deleted service account " + sa.name + " and revoked its keys", null));
        }).replaceWithVoid();
    }

    @WithSession
    public Uni<List<ApiKeyEntity>> listKeys(InternalCaller caller, UUID id) {
        requireManager(caller);
        return live(caller, id).flatMap(sa -> keys.list(
                "serviceAccountId = ?1 and revokedAt is null order by createdAt desc", sa.id));
    }

    @WithTransaction
    public Uni<IssueApiKey.Issued> createKey(InternalCaller caller, UUID id, String name, List<String> requested) {
        requireManager(caller);
        List<String> scopes = KeyScopes.validate(requested);
        KeyScopes.checkNoEscalation(scopes, caller.fullAccess(), caller.scopes());
        return live(caller, id).flatMap(sa -> issueApiKey.issue(sa.accountId, null, sa.id, name, scopes))
                .call(issued -> audit.success(caller, "service_account.key.create", "api_key",
                        issued.key().id.toString(), "created key " + issued.key().keyPrefix + " for service account "
                                + id,
                        java.util.Map.of("scopes", scopes, "service_account_id", id.toString())));
    }

    @WithTransaction
    public Uni<Void> revokeKey(InternalCaller caller, UUID id, UUID keyId) {
        requireManager(caller);
        return live(caller, id).flatMap(sa -> keys.update(
                "revokedAt = ?1 where id = ?2 and serviceAccountId = ?3 and revokedAt is null",
                OffsetDateTime.now(ZoneOffset.UTC), keyId, sa.id))
                .flatMap(updated -> {
                    if (updated == 0) {
                        throw new ServiceException(ErrorCode.API_KEY_NOT_FOUND,
                                "no key " + keyId + " of this service account");
                    }
                    return AccountEvents.keyRevoked(outbox, caller.accountId(), keyId)
                            .call(v -> audit.success(caller, "service_account.key.revoke", "api_key", keyId.toString(),
                                    "revoked a key of service account " + id, null));
                });
    }

    private Uni<ServiceAccountEntity> live(InternalCaller caller, UUID id) {
        return serviceAccounts.findLive(caller.accountId(), id).map(sa -> {
            if (sa == null) {
                throw new ServiceException(ErrorCode.SERVICE_ACCOUNT_NOT_FOUND, "no service account " + id + " here");
            }
            return sa;
        });
    }

    private static void requireManager(InternalCaller caller) {
        CallerRules.requireOwnerOrAdmin(caller, "only owners and admins manage service accounts");
    }
}
