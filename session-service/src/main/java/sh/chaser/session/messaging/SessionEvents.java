package sh.chaser.session.messaging;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import sh.chaser.common.messaging.Outbox;
import sh.chaser.common.messaging.Topics;
import sh.chaser.proto.events.v1.SessionStateChanged;
import sh.chaser.session.application.StateEvents;
import sh.chaser.session.persistence.SessionEntity;

/** Every status a session takes, on {@code chaser.sessions.v1}, written in the transaction that sets it. */
@ApplicationScoped
public class SessionEvents implements StateEvents {

    public static final String TYPE = sh.chaser.contracts.EventTypes.SESSION_STATE_CHANGED;

    @Inject
    Outbox outbox;

    @Override
    public Uni<Void> changed(SessionEntity s) {
        SessionStateChanged event = SessionStateChanged.newBuilder().setSessionId(s.id.toString())
                .setAccountId(s.accountId.toString()).setSessionType(s.sessionType)
                .setWorkspaceId(s.workspaceId == null ? "" : s.workspaceId.toString())
                .setHostId(s.hostId == null ? "" : s.hostId).setStatus(s.status)
                .setTerminationReason(s.terminationReason == null ? "" : s.terminationReason)
                .setCreatedAt(time(s.createdAt)).setRunningAt(time(s.runningAt)).setTerminatedAt(time(s.terminatedAt))
                .setImage(s.image == null ? "" : s.image).setEphemeral(s.ephemeral)
                .setPreviousStatus(s.previousStatus == null ? "" : s.previousStatus)
                .setForkedFrom(s.forkedFrom == null ? "" : s.forkedFrom.toString()).build();
        return outbox.record(Topics.SESSIONS, TYPE, event.getSessionId(), event);
    }

    private static String time(OffsetDateTime t) {
        return t == null ? "" : DateTimeFormatter.ISO_INSTANT.format(t);
    }
}
