package sh.chaser.account.application;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.UUID;
import sh.chaser.contracts.EventTypes;
import sh.chaser.proto.events.v1.SessionStateChanged;
import sh.chaser.proto.events.v1.WorkspaceChanged;

/**
 * Usage from the platform's facts. Session-seconds come from each session's own running_at and
 * terminated_at (carried by every event), kept once per session, less the times it was paused (from
 * the events of its pauses and resumes): a replayed event writes the same values again and changes
 * nothing. Storage is each workspace's last measured size; an older
 * event never overwrites a newer one.
 */
@ApplicationScoped
public class UsageMeter {

    public Uni<Void> apply(SqlConnection tx, JsonNode event) {
        String type = event.path("type").asText();
        if (PublicEvents.SESSION_CHANGED.equals(type)) {
            SessionStateChanged d = EventTypes.data(event.path("data").toString(), SessionStateChanged.newBuilder());
            OffsetDateTime running = time(d.getRunningAt());
            OffsetDateTime terminated = time(d.getTerminatedAt());
            if (running == null && terminated == null) {
                return Uni.createFrom().voidItem();
            }
            return pauses(tx, d, OffsetDateTime.parse(event.path("time").asText())).chain(() -> tx.preparedQuery("""
                    INSERT INTO session_usage (session_id, account_id, session_type, running_at, terminated_at)
                    VALUES ($1, $2, $3, $4, $5)
                    ON CONFLICT (session_id) DO UPDATE SET
                        running_at = COALESCE(session_usage.running_at, EXCLUDED.running_at),
                        terminated_at = COALESCE(session_usage.terminated_at, EXCLUDED.terminated_at)""")
                    .execute(Tuple.of(UUID.fromString(d.getSessionId()),
                            UUID.fromString(d.getAccountId()), d.getSessionType(), running)
                            .addOffsetDateTime(terminated))
                    .replaceWithVoid());
        }
        WorkspaceChanged d = PublicEvents.WORKSPACE_CHANGED.equals(type)
                ? EventTypes.data(event.path("data").toString(), WorkspaceChanged.newBuilder())
                : null;
        if (d != null && !"session_evicted".equals(d.getChange())) {
            boolean deleted = "deleted".equals(d.getChange());
            return tx.preparedQuery("""
                    INSERT INTO workspace_storage (workspace_id, account_id, size_bytes, measured_at, deleted)
                    VALUES ($1, $2, $3, $4, $5)
                    ON CONFLICT (workspace_id) DO UPDATE SET size_bytes = EXCLUDED.size_bytes,
                        measured_at = EXCLUDED.measured_at, deleted = workspace_storage.deleted OR EXCLUDED.deleted
                    WHERE workspace_storage.measured_at <= EXCLUDED.measured_at""")
                    .execute(Tuple.of(UUID.fromString(d.getWorkspaceId()),
                            UUID.fromString(d.getAccountId()), deleted ? 0L : d.getSizeBytes(),
                            OffsetDateTime.parse(event.path("time").asText()), deleted))
                    .replaceWithVoid();
        }
        return Uni.createFrom().voidItem();
    }

    /** running → paused opens a pause at the event's time; resuming → running closes the one open before it. */
    private static Uni<Void> pauses(SqlConnection tx, SessionStateChanged d, OffsetDateTime at) {
        UUID session = UUID.fromString(d.getSessionId());
        if ("paused".equals(d.getStatus()) && "running".equals(d.getPreviousStatus())) {
            return tx.preparedQuery("INSERT INTO session_usage_pauses (session_id, paused_at) VALUES ($1, $2)"
                    + " ON CONFLICT DO NOTHING").execute(Tuple.of(session, at)).replaceWithVoid();
        }
        if ("running".equals(d.getStatus()) && "resuming".equals(d.getPreviousStatus())) {
            return tx.preparedQuery("UPDATE session_usage_pauses SET resumed_at = $2 WHERE session_id = $1"
                    + " AND resumed_at IS NULL AND paused_at <= $2").execute(Tuple.of(session, at)).replaceWithVoid();
        }
        return Uni.createFrom().voidItem();
    }

    private static OffsetDateTime time(String text) {
        return text == null || text.isEmpty() ? null : OffsetDateTime.parse(text);
    }
}
