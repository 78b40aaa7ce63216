package sh.chaser.workspace.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import sh.chaser.common.messaging.ProcessedEvents;
import sh.chaser.common.persistence.Tx;
import sh.chaser.contracts.EventTypes;
import sh.chaser.proto.events.v1.SessionStateChanged;
import sh.chaser.workspace.persistence.PgWorkspaceRepository;

/**
 * Keeps {@code active_session_id} / {@code last_session_id} true from session-service's facts: a
 * terminated session no longer holds its workspace. Each event id is applied once.
 */
@ApplicationScoped
public class SessionEventsConsumer {

    public static final String STATE_CHANGED = EventTypes.SESSION_STATE_CHANGED;

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
        SessionStateChanged data = EventTypes.data(event.path("data").toString(), SessionStateChanged.newBuilder());
        String workspaceId = data.getWorkspaceId();
        String status = data.getStatus();
        if (workspaceId.isEmpty() || !("terminated".equals(status) || "running".equals(status))) {
            return;
        }
        UUID workspace = UUID.fromString(workspaceId);
        UUID session = UUID.fromString(data.getSessionId());
        Tx.run(() -> ProcessedEvents.firstTime(event.path("id").asText())
                .flatMap(first -> !first
                        ? Uni.createFrom().voidItem()
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
