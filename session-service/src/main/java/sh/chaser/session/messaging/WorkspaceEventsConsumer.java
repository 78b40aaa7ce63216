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
import sh.chaser.session.application.Convergence;
import sh.chaser.session.domain.TerminationReason;
import sh.chaser.session.persistence.PgSessionRepository;
import sh.chaser.session.persistence.SessionEntity;

/**
 * A forced workspace operation (restore, delete, snapshot with force) has destroyed the VM of the
 * session holding the workspace: that session ends with the operation's reason. Once per event id;
 * a session that already ended stays as it is.
 */
@ApplicationScoped
public class WorkspaceEventsConsumer {

    public static final String CHANGED = sh.chaser.contracts.EventTypes.WORKSPACE_CHANGED;

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
        JsonNode data = event.path("data");
        if (!CHANGED.equals(event.path("type").asText()) || !"session_evicted".equals(data.path("change").asText())) {
            return;
        }
        UUID sessionId = UUID.fromString(data.path("session_id").asText());
        String reason = TerminationReason.known(data.path("reason").asText());
        if (!Tx.run(() -> ProcessedEvents.firstTime(event.path("id").asText()))) {
            return;
        }
        SessionEntity s = Tx.read(() -> sessions.findById(sessionId));
        if (s != null && s.live()) {
            convergence.end(s, reason, true);
        }
    }
}
