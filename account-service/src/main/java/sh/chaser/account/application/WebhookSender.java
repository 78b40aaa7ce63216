package sh.chaser.account.application;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;
import sh.chaser.account.config.AccountConfig;
import sh.chaser.account.domain.RetrySchedule;
import sh.chaser.account.domain.WebhookSignature;

/**
 * Makes the queued deliveries, at least once. A due delivery is claimed by bumping its attempt
 * count and pushing its next attempt past the timeout (SKIP LOCKED, so instances share the work
 * and a crashed instance's claim comes due again); the attempt's outcome is recorded with the
 * next try (exponential backoff with jitter) or the end: delivered on 2xx, failed once the retry
 * window has passed. Redirects are not followed.
 */
@ApplicationScoped
public class WebhookSender {

    private static final Logger LOG = Logger.getLogger(WebhookSender.class);

    record Claim(UUID id, String payload, int attempt, OffsetDateTime createdAt, String url, byte[] secret,
            boolean webhookDeleted) {}

    @Inject
    Pool pool;
    @Inject
    Vertx vertx;
    @Inject
    AccountConfig config;
    @Inject
    WebhookSecrets secrets;
    @Inject
    WebhookTargetCheck targets;

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean polling = new AtomicBoolean();
    private HttpClient http;
    private RetrySchedule schedule;
    private long timer = -1;

    void start(@Observes StartupEvent event) {
        var c = config.webhooks();
        schedule = new RetrySchedule(c.firstRetry(), c.maxRetry());
        http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false).setForceSni(true)
                .setConnectTimeout((int) c.timeout().toMillis()));
        timer = vertx.setPeriodic(c.pollInterval().toMillis(), id -> poll());
        LOG.infof("Webhook deliveries: looked for every %s, %d at once, %s per attempt, retried for %s%s",
                c.pollInterval(), c.concurrency(), c.timeout(), c.retryFor(),
                c.allowLoopback() ? " (development: http and loopback receivers allowed)" : "");
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != -1) {
            vertx.cancelTimer(timer);
        }
    }

    /** New deliveries were queued: look now rather than at the next tick. */
    public void wake() {
        vertx.runOnContext(this::poll);
    }

    private void poll() {
        int room = config.webhooks().concurrency() - inFlight.get();
        if (room <= 0 || !polling.compareAndSet(false, true)) {
            return;
        }
        claim(room).subscribe().with(claims -> {
            polling.set(false);
            claims.forEach(this::attempt);
        }, failure -> {
            polling.set(false);
            LOG.debugf("due webhook deliveries not claimed: %s", failure.getMessage());
        });
    }

    private Uni<List<Claim>> claim(int max) {
        long leaseMs = config.webhooks().timeout().toMillis() * 2 + 5_000;
        return pool.preparedQuery("""
                UPDATE webhook_deliveries d
                SET attempts = d.attempts + 1, next_attempt_at = now() + $2 * interval '1 millisecond'
                FROM webhooks w
                WHERE w.id = d.webhook_id AND d.id IN (
                    SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= now()
                    ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
                RETURNING d.id, d.payload, d.attempts, d.created_at, w.url, w.secret_sealed, w.deleted_at""")
                .execute(Tuple.of(max, leaseMs)).map(rows -> {
                    List<Claim> claims = new ArrayList<>();
                    for (Row r : rows) {
                        claims.add(new Claim(r.getUUID("id"), r.getString("payload"), r.getInteger("attempts"),
                                r.getOffsetDateTime("created_at"), r.getString("url"),
                                r.getBuffer("secret_sealed").getBytes(), r.getValue("deleted_at") != null));
                    }
                    return claims;
                });
    }

    private void attempt(Claim c) {
        if (c.webhookDeleted()) {
            pool.preparedQuery("UPDATE webhook_deliveries SET status = 'cancelled', next_attempt_at = NULL,"
                    + " completed_at = now() WHERE id = $1").execute(Tuple.of(c.id())).subscribe()
                    .with(r -> {}, f -> {});
            return;
        }
        inFlight.incrementAndGet();
        OffsetDateTime startedAt = OffsetDateTime.now(ZoneOffset.UTC);
        long start = System.nanoTime();
        var timeout = config.webhooks().timeout();
        targets.check(c.url()).chain(target -> send(c, target))
                .ifNoItem().after(timeout).failWith(() -> new java.util.concurrent.TimeoutException(
                        "no answer within " + timeout.toMillis() + " ms"))
                .onItemOrFailure().transformToUni((status, failure) -> record(c, startedAt,
                        (int) ((System.nanoTime() - start) / 1_000_000), status, failure))
                .subscribe().with(v -> {
                    inFlight.decrementAndGet();
                    poll();
                }, failure -> {
                    inFlight.decrementAndGet();
                    LOG.warnf("attempt %d of webhook delivery %s not recorded (it will be made again): %s",
                            c.attempt(), c.id(), failure.getMessage());
                });
    }

    private Uni<Integer> send(Claim c, WebhookTargetCheck.Checked target) {
        String path = target.uri().getRawPath() == null || target.uri().getRawPath().isEmpty()
                ? "/"
                : target.uri().getRawPath();
        if (target.uri().getRawQuery() != null) {
            path += "?" + target.uri().getRawQuery();
        }
        long now = System.currentTimeMillis() / 1000;
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
                .setServer(SocketAddress.inetSocketAddress(target.target().port(), target.address().getHostAddress()))
                .setHost(target.target().host()).setPort(target.target().port()).setSsl(target.target().tls())
                .setURI(path).setFollowRedirects(false)
                .setIdleTimeout(config.webhooks().timeout().toMillis())
                .putHeader("Content-Type", "application/cloudevents+json; charset=utf-8")
                .putHeader("User-Agent", "Chaser-Webhooks/1")
                .putHeader("Chaser-Delivery", c.id().toString())
                .putHeader("Chaser-Attempt", Integer.toString(c.attempt()))
                .putHeader(WebhookSignature.HEADER,
                        WebhookSignature.header(secrets.open(c.secret()), now, c.payload()));
        return http.request(options).chain(request -> request.send(Buffer.buffer(c.payload())))
                .chain(response -> response.end().map(v -> response.statusCode()));
    }

    private Uni<Void> record(Claim c, OffsetDateTime startedAt, int latencyMs, Integer status, Throwable failure) {
        boolean delivered = failure == null && status >= 200 && status < 300;
        String error = failure != null ? describe(failure) : delivered ? null : "the receiver answered " + status;
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        OffsetDateTime next = delivered ? null : now.plus(schedule.after(c.attempt(), ThreadLocalRandom.current()));
        boolean givenUp = next != null && next.isAfter(c.createdAt().plus(config.webhooks().retryFor()));
        String state = delivered ? "delivered" : givenUp ? "failed" : "pending";
        if (givenUp) {
            LOG.warnf("webhook delivery %s given up after %d attempts: %s", c.id(), c.attempt(), error);
        }
        return pool.withTransaction(tx -> tx.preparedQuery("""
                INSERT INTO webhook_attempts (delivery_id, attempt, started_at, status_code, latency_ms, error)
                VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING""")
                .execute(Tuple.of(c.id(), c.attempt(), startedAt, failure == null ? status : null, latencyMs, error))
                .chain(() -> tx.preparedQuery("""
                        UPDATE webhook_deliveries SET status = $2, next_attempt_at = $3, completed_at = $4
                        WHERE id = $1 AND attempts = $5 AND status = 'pending'""")
                        .execute(Tuple.of(c.id(), state, "pending".equals(state) ? next : null,
                                "pending".equals(state) ? null : now, c.attempt()))))
                .replaceWithVoid();
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        return message.length() > 300 ? message.substring(0, 300) : message;
    }
}
