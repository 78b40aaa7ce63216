package sh.chaser.session.messaging;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import sh.chaser.common.messaging.Outbox;
import sh.chaser.common.messaging.Topics;
import sh.chaser.proto.events.v1.SessionStateChanged;
import sh.chaser.session.persistence.SessionEntity;

/** Every status a session takes, on {@code chaser.sessions.v1}, written in the transaction that sets it. */
@ApplicationScoped
public class SessionEvents {

    public static final String TYPE = "sh.chaser.session.state_changed.v1";

    @Inject
    Outbox outbox;

    public Uni<Void> changed(SessionEntity s) {
        SessionStateChanged event = SessionStateChanged.newBuilder().setSessionId(s.id.toString())
                .setAccountId(s.accountId.toString()).setSessionType(s.sessionType)
                .setWorkspaceId(s.workspaceId == null ? "" : s.workspaceId.toString())
                .setHostId(s.hostId == null ? "" : s.hostId).setStatus(s.status)
                .setTerminationReason(s.terminationReason == null ? "" : s.terminationReason).build();
        return outbox.record(Topics.SESSIONS, TYPE, event.getSessionId(), event);
    }
}
