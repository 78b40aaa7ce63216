package sh.chaser.workspace.application;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;
import org.jboss.logging.Logger;
import sh.chaser.common.grpc.AgentFailure;
import sh.chaser.common.persistence.Tx;
import sh.chaser.workspace.domain.ErrorCode;
import sh.chaser.workspace.grpc.AgentDisks;
import sh.chaser.workspace.grpc.HostDirectory;
import sh.chaser.workspace.messaging.WorkspaceEvents;
import sh.chaser.workspace.persistence.PgWorkspaceRepository;
import sh.chaser.workspace.persistence.WorkspaceEntity;

/**
 * What {@code force=true} does: stops the VM of the session holding the workspace on its host, frees
 * the workspace and says so on {@code chaser.workspaces.v1} (session_evicted, with the reason), which
 * session-service turns into the session's end. Refuses with workspace_in_use without force.
 */
@ApplicationScoped
public class SessionEvictions {

    private static final Logger LOG = Logger.getLogger(SessionEvictions.class);

    @Inject
    PgWorkspaceRepository workspaces;
    @Inject
    WorkspaceEvents events;
    @Inject
    HostDirectory hosts;
    @Inject
    AgentDisks agents;

    public void freeIfForced(WorkspaceEntity w, boolean force, String reason) {
        if (w.activeSessionId == null || !force) {
            return;
        }
        UUID session = w.activeSessionId;
        try {
            agents.destroyVm(hosts.require(w.hostId).address(), session.toString(), reason);
        } catch (AgentFailure f) {
            throw AgentErrors.toService(f, "terminating session " + session);
        }
        LOG.infof("session %s on workspace %s terminated (%s)", session, w.id, reason);
        Tx.run(() -> workspaces.lock(w.id).flatMap(row -> {
            if (row == null || !session.equals(row.activeSessionId)) {
                return Uni.createFrom().voidItem();
            }
            row.activeSessionId = null;
            row.lastSessionId = session;
            row.updatedAt = Tx.now();
            return events.sessionEvicted(row, session.toString(), reason);
        }));
    }

    /** Inside an operation's first transaction: no session may hold the workspace. */
    static void requireFree(WorkspaceEntity w) {
        if (w.activeSessionId != null) {
            throw ErrorCode.WORKSPACE_IN_USE.exception("workspace " + w.displayName() + " has an active session "
                    + w.activeSessionId + "; pass force=true to terminate it first");
        }
    }

    static void requireIdle(WorkspaceEntity w) {
        if (w.operation != null) {
            throw ErrorCode.WORKSPACE_BUSY.exception("workspace " + w.displayName() + " is busy ("
                    + w.operation + " in progress); try again shortly");
        }
        if (!"ready".equals(w.status)) {
            throw ErrorCode.WORKSPACE_NOT_READY.exception("workspace " + w.displayName() + " is " + w.status);
        }
    }
}
