package sh.chaser.workspace.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import sh.chaser.common.messaging.ProcessedEvents;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import sh.chaser.workspace.persistence.PgWorkspaceRepository;
import sh.chaser.common.persistence.Tx;

/**
 * Keeps {@code active_session_id} / {@code last_session_id} true from session-service's facts: a
 * terminated session no longer holds its workspace. Each event id is applied once.
 */
@ApplicationScoped
public class SessionEventsConsumer {

    public static final String STATE_CHANGED = sh.chaser.contracts.EventTypes.SESSION_STATE_CHANGED;

    @Inject
    ObjectMapper json;
    @Inject
    PgWorkspaceRepository workspaces;

    @Incoming("sessions-in")
    @Blocking
    public void apply(String cloudEvent) throws Exception {
        JsonNode event = json.readTree(cloudEvent);
        if (!STATE_CHANGED.equals(event.path("type").asText())) {
            return;
        }
        JsonNode data = event.path("data");
        String workspaceId = data.path("workspace_id").asText("");
        String status = data.path("status").asText("");
        if (workspaceId.isEmpty() || !("terminated".equals(status) || "running".equals(status))) {
            return;
        }
        UUID workspace = UUID.fromString(workspaceId);
        UUID session = UUID.fromString(data.path("session_id").asText());
        Tx.run(() -> ProcessedEvents.firstTime(event.path("id").asText()).flatMap(first -> !first ? Uni.createFrom().voidItem()
                : workspaces.lock(workspace).invoke(w -> {
                    if (w == null) {
                        return;
                    }
                    if ("terminated".equals(status) && session.equals(w.activeSessionId)) {
                        w.activeSessionId = null;
                        w.updatedAt = Tx.now();
                    }
                    if ("running".equals(status) && session.equals(w.activeSessionId)) {
                        w.lastSessionId = session;
                    }
                }).replaceWithVoid()));
    }
}
