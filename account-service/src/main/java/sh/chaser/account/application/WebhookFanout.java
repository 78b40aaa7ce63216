package sh.chaser.account.application;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One delivery per subscribed webhook of the event's account, queued for {@link WebhookSender}.
 * Once per (webhook, event): a replayed event queues nothing new. A webhook created after the
 * event does not receive it.
 */
@ApplicationScoped
public class WebhookFanout {

    /** @return how many deliveries were queued */
    public Uni<Integer> queue(SqlConnection tx, String eventId, OffsetDateTime eventTime, PublicEvents.Published p) {
        return tx.preparedQuery("""
                INSERT INTO webhook_deliveries (id, webhook_id, account_id, event_id, event_type, payload, status,
                                                attempts, next_attempt_at, created_at)
                SELECT gen_random_uuid(), w.id, w.account_id, $2, $3, $4, 'pending', 0, now(), now()
                FROM webhooks w
                WHERE w.account_id = $1 AND w.deleted_at IS NULL AND $3 = ANY (w.events) AND w.created_at <= $5
                ON CONFLICT (webhook_id, event_id) DO NOTHING""")
                .execute(Tuple.of(UUID.fromString(p.accountId()), eventId, p.type(), p.body(), eventTime))
                .map(rows -> rows.rowCount());
    }
}
