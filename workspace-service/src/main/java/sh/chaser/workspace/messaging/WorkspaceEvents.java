package sh.chaser.workspace.messaging;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import sh.chaser.common.messaging.Outbox;
import sh.chaser.common.messaging.Topics;
import sh.chaser.proto.events.v1.WorkspaceChanged;
import sh.chaser.workspace.persistence.WorkspaceEntity;

/** Facts about workspaces on {@code chaser.workspaces.v1}, written in the transaction that makes them true. */
@ApplicationScoped
public class WorkspaceEvents {

    public static final String TYPE = sh.chaser.contracts.EventTypes.WORKSPACE_CHANGED;

    @Inject
    Outbox outbox;

    public Uni<Void> changed(WorkspaceEntity w, String change) {
        return record(base(w, change).build());
    }

    public Uni<Void> snapshot(WorkspaceEntity w, String change, String snapshot) {
        return record(base(w, change).setSnapshot(snapshot).build());
    }

    /** A forced operation ended the session holding the workspace; session-service ends it with {@code reason}. */
    public Uni<Void> sessionEvicted(WorkspaceEntity w, String sessionId, String reason) {
        return record(base(w, "session_evicted").setSessionId(sessionId).setReason(reason).build());
    }

    private static WorkspaceChanged.Builder base(WorkspaceEntity w, String change) {
        return WorkspaceChanged.newBuilder().setWorkspaceId(w.id.toString()).setAccountId(w.accountId.toString())
                .setChange(change).setName(w.name == null ? "" : w.name).setSessionType(w.sessionType)
                .setStatus(w.status).setHostId(w.hostId == null ? "" : w.hostId)
                .setSourceWorkspaceId(w.sourceWorkspaceId == null ? "" : w.sourceWorkspaceId.toString())
                .setSizeBytes(w.deletedAt != null ? 0 : w.sizeBytes);
    }

    private Uni<Void> record(WorkspaceChanged event) {
        return outbox.record(Topics.WORKSPACES, TYPE, event.getWorkspaceId(), event);
    }
}
