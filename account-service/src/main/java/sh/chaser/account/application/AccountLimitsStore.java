package sh.chaser.account.application;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;
import sh.chaser.account.config.AccountConfig;
import sh.chaser.common.security.AccountLimits;

/** Each account's limits: its own where an operator set them, the installation's defaults elsewhere. */
@ApplicationScoped
public class AccountLimitsStore {

    /** @param custom true when the account has limits of its own */
    public record Resolved(AccountLimits limits, boolean custom) {}

    @Inject
    Pool pool;
    @Inject
    AccountConfig config;

    public AccountLimits defaults() {
        var d = config.limits();
        return new AccountLimits(d.concurrentSessions(), d.workspaces(), d.workspaceStorageBytes(),
                d.accountStorageBytes(), d.idleTimeoutSeconds(), d.idleAction());
    }

    public Uni<Resolved> of(UUID accountId) {
        return pool.preparedQuery("SELECT * FROM account_limits WHERE account_id = $1").execute(Tuple.of(accountId))
                .map(rows -> {
                    AccountLimits d = defaults();
                    if (rows.size() == 0) {
                        return new Resolved(d, false);
                    }
                    Row r = rows.iterator().next();
                    return new Resolved(new AccountLimits(
                            r.getInteger("concurrent_sessions") == null
                                    ? d.concurrentSessions()
                                    : r.getInteger("concurrent_sessions"),
                            r.getInteger("workspaces") == null ? d.workspaces() : r.getInteger("workspaces"),
                            r.getLong("workspace_storage_bytes") == null
                                    ? d.workspaceStorageBytes()
                                    : r.getLong("workspace_storage_bytes"),
                            r.getLong("account_storage_bytes") == null
                                    ? d.accountStorageBytes()
                                    : r.getLong("account_storage_bytes"),
                            r.getLong("idle_timeout_seconds") == null
                                    ? d.idleTimeoutSeconds()
                                    : r.getLong("idle_timeout_seconds"),
                            r.getString("idle_action") == null ? d.idleAction() : r.getString("idle_action")),
                            true);
                });
    }
}
