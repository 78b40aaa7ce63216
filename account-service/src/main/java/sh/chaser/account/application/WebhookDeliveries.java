package sh.chaser.account.application;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import sh.chaser.account.domain.ErrorCode;
import sh.chaser.account.domain.Page;
import sh.chaser.common.api.Cursor;

/** What was delivered to a webhook: each delivery (one event) with every attempt made. */
@ApplicationScoped
public class WebhookDeliveries {

    public record AttemptView(int attempt, OffsetDateTime startedAt, Integer statusCode, int latencyMs, String error) {}

    public record DeliveryView(String id, String webhookId, String eventId, String eventType, String status,
            int attemptCount, List<AttemptView> attempts, OffsetDateTime nextAttemptAt, OffsetDateTime createdAt,
            OffsetDateTime completedAt) {}

    @Inject
    Pool pool;

    public Uni<Page<DeliveryView>> page(UUID webhookId, int size, String cursor) {
        Cursor after = Cursor.decode(cursor, ErrorCode.INVALID_REQUEST);
        String sql = "SELECT * FROM webhook_deliveries WHERE webhook_id = $1"
                + (after == null ? "" : " AND (created_at, id) < ($3, $4)")
                + " ORDER BY created_at DESC, id DESC LIMIT $2";
        Tuple args = Tuple.of(webhookId, size + 1);
        if (after != null) {
            args.addOffsetDateTime(after.createdAt()).addUUID(after.id());
        }
        return pool.preparedQuery(sql).execute(args).flatMap(rows -> {
            List<Row> page = new ArrayList<>();
            rows.forEach(page::add);
            boolean more = page.size() > size;
            List<Row> shown = more ? page.subList(0, size) : page;
            UUID[] ids = shown.stream().map(r -> r.getUUID("id")).toArray(UUID[]::new);
            return attempts(ids).map(byDelivery -> {
                List<DeliveryView> data = shown.stream().map(r -> view(r, byDelivery.getOrDefault(r.getUUID("id"),
                        List.of()))).toList();
                Row last = shown.isEmpty() ? null : shown.get(shown.size() - 1);
                String next = more
                        ? new Cursor(last.getOffsetDateTime("created_at"), last.getUUID("id")).encode()
                        : null;
                return new Page<>(data, next);
            });
        });
    }

    private Uni<Map<UUID, List<AttemptView>>> attempts(UUID[] deliveryIds) {
        if (deliveryIds.length == 0) {
            return Uni.createFrom().item(Map.of());
        }
        return pool.preparedQuery("SELECT * FROM webhook_attempts WHERE delivery_id = ANY($1) ORDER BY attempt")
                .execute(Tuple.of(deliveryIds)).map(rows -> {
                    Map<UUID, List<AttemptView>> by = new HashMap<>();
                    rows.forEach(r -> by.computeIfAbsent(r.getUUID("delivery_id"), k -> new ArrayList<>())
                            .add(new AttemptView(r.getInteger("attempt"), r.getOffsetDateTime("started_at"),
                                    r.getInteger("status_code"), r.getInteger("latency_ms"), r.getString("error"))));
                    return by;
                });
    }

    private static DeliveryView view(Row r, List<AttemptView> attempts) {
        return new DeliveryView(r.getUUID("id").toString(), r.getUUID("webhook_id").toString(), r.getString("event_id"),
                r.getString("event_type"), r.getString("status"), attempts.size(), attempts,
                r.getOffsetDateTime("next_attempt_at"), r.getOffsetDateTime("created_at"),
                r.getOffsetDateTime("completed_at"));
    }
}
