package sh.chaser.account.application;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import sh.chaser.common.security.AccountLimits;

/**
 * GET /v1/billing/summary: the account's limits, session-seconds by type over the last 24 hours
 * and 30 days (each session counted from running_at to terminated_at, or now while it runs, less
 * the times it was paused, clipped to the window, summed and rounded down to the second), and its
 * workspaces' storage.
 */
@ApplicationScoped
public class BillingSummary {

    public record Plan(String name, Map<String, Object> limits) {}

    public record SessionSeconds(long sandbox, long browser, long total) {}

    public record Summary(String accountId, Plan plan, Map<String, SessionSeconds> sessionSeconds, long activeSessions,
            long workspaces, long workspaceStorageBytes, OffsetDateTime generatedAt) {}

    @Inject
    Pool pool;
    @Inject
    AccountLimitsStore limits;

    public Uni<Summary> of(UUID accountId) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        Uni<Map<String, long[]>> seconds = pool.preparedQuery("""
                SELECT u.session_type,
                       floor(sum(greatest(0, extract(epoch FROM least(coalesce(u.terminated_at, $2), $2)
                                                        - greatest(u.running_at, $2 - interval '1 day'))
                                             - coalesce(p.day, 0))))::bigint AS day,
                       floor(sum(greatest(0, extract(epoch FROM least(coalesce(u.terminated_at, $2), $2)
                                                        - greatest(u.running_at, $2 - interval '30 days'))
                                             - coalesce(p.month, 0))))::bigint AS month,
                       count(*) FILTER (WHERE u.terminated_at IS NULL) AS active
                FROM session_usage u
                LEFT JOIN LATERAL (
                    SELECT sum(greatest(0, extract(epoch FROM least(coalesce(x.resumed_at, u.terminated_at, $2), $2)
                                                        - greatest(x.paused_at, $2 - interval '1 day')))) AS day,
                           sum(greatest(0, extract(epoch FROM least(coalesce(x.resumed_at, u.terminated_at, $2), $2)
                                                        - greatest(x.paused_at, $2 - interval '30 days')))) AS month
                    FROM session_usage_pauses x WHERE x.session_id = u.session_id) p ON true
                WHERE u.account_id = $1 AND u.running_at IS NOT NULL
                  AND (u.terminated_at IS NULL OR u.terminated_at > $2 - interval '30 days')
                GROUP BY u.session_type""").execute(Tuple.of(accountId, now)).map(rows -> {
            Map<String, long[]> by = new LinkedHashMap<>();
            rows.forEach(r -> by.put(r.getString("session_type"),
                    new long[]{ r.getLong("day"), r.getLong("month"), r.getLong("active") }));
            return by;
        });
        Uni<long[]> storage = pool.preparedQuery("SELECT count(*) AS n, coalesce(sum(size_bytes), 0)::bigint AS bytes"
                + " FROM workspace_storage WHERE account_id = $1 AND NOT deleted").execute(Tuple.of(accountId))
                .map(rows -> {
                    var r = rows.iterator().next();
                    return new long[]{ r.getLong("n"), r.getLong("bytes") };
                });
        return Uni.combine().all().unis(limits.of(accountId), seconds, storage).asTuple().map(t -> {
            Map<String, long[]> s = t.getItem2();
            long[] none = { 0, 0, 0 };
            long[] sandbox = s.getOrDefault("sandbox", none);
            long[] browser = s.getOrDefault("browser", none);
            Map<String, SessionSeconds> windows = new LinkedHashMap<>();
            windows.put("last_24h", new SessionSeconds(sandbox[0], browser[0], sandbox[0] + browser[0]));
            windows.put("last_30d", new SessionSeconds(sandbox[1], browser[1], sandbox[1] + browser[1]));
            AccountLimits l = t.getItem1().limits();
            return new Summary(accountId.toString(),
                    new Plan(t.getItem1().custom() ? "custom" : "default", l.toClaim()),
                    windows, sandbox[2] + browser[2], t.getItem3()[0], t.getItem3()[1], now);
        });
    }
}
