package sh.chaser.account.application;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import sh.chaser.account.config.AccountConfig;
import sh.chaser.account.domain.ErrorCode;
import sh.chaser.account.persistence.AccountLimitsEntity;
import sh.chaser.account.persistence.PgAccountRepository;
import sh.chaser.account.persistence.PgUserRepository;
import sh.chaser.common.api.ServiceException;
import sh.chaser.common.messaging.Audit;
import sh.chaser.common.messaging.Outbox;
import sh.chaser.common.security.AccountLimits;
import sh.chaser.common.security.InternalCaller;

/**
 * An operator sets an account's limits (PATCH semantics: a field left out keeps its value, null
 * returns it to the installation's default). Gateways learn it from the event and drop the
 * principals they cached, so the new limits hold within seconds.
 */
@ApplicationScoped
public class SetAccountLimits {

    private static final List<String> FIELDS = List.of(AccountLimits.CONCURRENT_SESSIONS, AccountLimits.WORKSPACES,
            AccountLimits.WORKSPACE_STORAGE_BYTES, AccountLimits.ACCOUNT_STORAGE_BYTES,
            AccountLimits.IDLE_TIMEOUT_SECONDS, AccountLimits.IDLE_ACTION);

    @Inject
    AccountConfig config;
    @Inject
    PgUserRepository users;
    @Inject
    PgAccountRepository accounts;
    @Inject
    Outbox outbox;
    @Inject
    Audit audit;

    /** Operators only: the bootstrap administrator and the emails in {@code chaser.account.operators}. */
    public Uni<Void> requireOperator(InternalCaller caller) {
        CallerRules.requireUser(caller, "only the installation's operators manage account limits");
        return Panache.withSession(() -> users.findById(caller.principalId())).invoke(user -> {
            List<String> operators = config.operators().orElse(List.of());
            boolean operator = user != null && (user.email.equalsIgnoreCase(config.bootstrap().adminEmail())
                    || operators.stream().anyMatch(user.email::equalsIgnoreCase));
            if (!operator) {
                throw new ServiceException(ErrorCode.FORBIDDEN,
                        "only the installation's operators manage account limits");
            }
        }).replaceWithVoid();
    }

    private static Integer toInt(Object value) {
        return value == null ? null : ((Long) value).intValue();
    }

    public Uni<Void> update(InternalCaller caller, UUID accountId, JsonNode body) {
        if (body == null || !body.isObject() || body.isEmpty()) {
            throw new ServiceException(ErrorCode.INVALID_REQUEST,
                    "a JSON object with one or more of " + FIELDS + " is required");
        }
        Map<String, Object> changes = new LinkedHashMap<>();
        body.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                throw new ServiceException(ErrorCode.INVALID_REQUEST, "unknown limit " + name + "; known: " + FIELDS,
                        name);
            }
            JsonNode v = body.get(name);
            if (AccountLimits.IDLE_ACTION.equals(name)) {
                if (!v.isNull() && !(v.isTextual() && AccountLimits.IDLE_ACTIONS.contains(v.asText()))) {
                    throw new ServiceException(ErrorCode.INVALID_REQUEST,
                            name + " must be one of " + AccountLimits.IDLE_ACTIONS + ", or null for the default", name);
                }
                changes.put(name, v.isNull() ? null : v.asText());
                return;
            }
            if (!v.isNull() && (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 0
                    || (!name.endsWith("_bytes") && !name.endsWith("_seconds") && v.asLong() > Integer.MAX_VALUE))) {
                throw new ServiceException(ErrorCode.INVALID_REQUEST,
                        name + " must be a whole number ≥ 0, or null for the default", name);
            }
            changes.put(name, v.isNull() ? null : v.asLong());
        });
        return Panache.withTransaction(() -> accounts.findById(accountId).flatMap(account -> {
            if (account == null) {
                throw new ServiceException(ErrorCode.ACCOUNT_NOT_FOUND, "no account " + accountId);
            }
            return Panache.getSession().flatMap(s -> s.find(AccountLimitsEntity.class, accountId)).flatMap(found -> {
                AccountLimitsEntity row = found;
                if (row == null) {
                    row = new AccountLimitsEntity();
                    row.accountId = accountId;
                }
                if (changes.containsKey(AccountLimits.CONCURRENT_SESSIONS)) {
                    row.concurrentSessions = toInt(changes.get(AccountLimits.CONCURRENT_SESSIONS));
                }
                if (changes.containsKey(AccountLimits.WORKSPACES)) {
                    row.workspaces = toInt(changes.get(AccountLimits.WORKSPACES));
                }
                if (changes.containsKey(AccountLimits.WORKSPACE_STORAGE_BYTES)) {
                    row.workspaceStorageBytes = (Long) changes.get(AccountLimits.WORKSPACE_STORAGE_BYTES);
                }
                if (changes.containsKey(AccountLimits.ACCOUNT_STORAGE_BYTES)) {
                    row.accountStorageBytes = (Long) changes.get(AccountLimits.ACCOUNT_STORAGE_BYTES);
                }
                if (changes.containsKey(AccountLimits.IDLE_TIMEOUT_SECONDS)) {
                    row.idleTimeoutSeconds = (Long) changes.get(AccountLimits.IDLE_TIMEOUT_SECONDS);
                }
                if (changes.containsKey(AccountLimits.IDLE_ACTION)) {
                    row.idleAction = (String) changes.get(AccountLimits.IDLE_ACTION);
                }
                row.updatedAt = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC);
                AccountLimitsEntity saved = row;
                return Panache.getSession()
                        .flatMap(s -> found == null ? s.persist(saved) : Uni.createFrom().voidItem());
            }).chain(() -> AccountEvents.limitsChanged(outbox, accountId))
                    .chain(() -> audit.success(caller, "account.limits.update", "account", accountId.toString(),
                            "set limits of account " + account.name, new LinkedHashMap<>(changes)));
        }));
    }
}
