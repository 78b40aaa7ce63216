package sh.chaser.session.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import sh.chaser.common.messaging.ProcessedEvents;
import sh.chaser.common.persistence.Tx;
import sh.chaser.contracts.EventTypes;
import sh.chaser.proto.events.v1.WorkspaceChanged;
import sh.chaser.session.application.Convergence;
import sh.chaser.session.domain.TerminationReason;
import sh.chaser.session.persistence.PgSessionRepository;
import sh.chaser.session.persistence.SessionEntity;

/**
 * A forced workspace operation (restore, delete, snapshot with force) evicts the session holding the
 * workspace: that session ends with the operation's reason (workspace-service destroys the VM; the
 * teardown's destroy is idempotent). Once per event id; a session that already ended stays as it is.
 */
@ApplicationScoped
public class WorkspaceEventsConsumer {

    public static final String CHANGED = EventTypes.WORKSPACE_CHANGED;

    @Inject
    ObjectMapper json;
    @Inject
    PgSessionRepository sessions;
    @Inject
    Convergence convergence;

    @Incoming("workspaces-in")
    @Blocking
    public void apply(String cloudEvent) throws Exception {
        JsonNode event = json.readTree(cloudEvent);
        if (!CHANGED.equals(event.path("type").asText())) {
            return;
        }
        WorkspaceChanged data = EventTypes.data(event.path("data").toString(), WorkspaceChanged.newBuilder());
        if (!"session_evicted".equals(data.getChange())) {
            return;
        }
        UUID sessionId = UUID.fromString(data.getSessionId());
        String reason = TerminationReason.known(data.getReason());
        if (!Tx.run(() -> ProcessedEvents.firstTime(event.path("id").asText()))) {
            return;
        }
        SessionEntity s = Tx.read(() -> sessions.findById(sessionId));
        if (s != null && s.live()) {
            convergence.end(s, reason, true);
        }
    }
}
