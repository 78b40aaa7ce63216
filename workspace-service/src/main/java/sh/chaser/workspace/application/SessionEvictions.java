package sh.chaser.workspace.application;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;
import org.jboss.logging.Logger;
import sh.chaser.common.grpc.AgentFailure;
import sh.chaser.common.persistence.Tx;
import sh.chaser.workspace.domain.ErrorCode;
import sh.chaser.workspace.messaging.WorkspaceEvents;
import sh.chaser.workspace.persistence.PgWorkspaceRepository;
import sh.chaser.workspace.persistence.WorkspaceEntity;

/**
 * What {@code force=true} does, the one path of an eviction: records it (evicted session, reason)
 * and says so on {@code chaser.workspaces.v1} (session_evicted) in one transaction, destroys the VM
 * on its host, then frees the workspace. session-service ends the session on the event, or with the
 * reason ReleaseWorkspace answers when it sees the VM gone first. Refuses with workspace_in_use
 * without force.
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
    DiskHosts agents;

    public void freeIfForced(WorkspaceEntity w, boolean force, String reason) {
        if (w.activeSessionId == null || !force) {
            return;
        }
        UUID session = w.activeSessionId;
        // the eviction is a fact before the VM goes: whoever notices the VM gone first learns why
        boolean holds = Tx.run(() -> workspaces.lock(w.id).flatMap(row -> {
            if (row == null || !session.equals(row.activeSessionId)) {
                return Uni.createFrom().item(false);
            }
            row.evictedSessionId = session;
            row.evictionReason = reason;
            row.updatedAt = Tx.now();
            return events.sessionEvicted(row, session.toString(), reason).replaceWith(true);
        }));
        if (!holds) {
            return;
        }
        try {
            agents.destroyVm(hosts.require(w.hostId).address(), session.toString());
        } catch (AgentFailure f) {
            throw AgentErrors.toService(f, "terminating session " + session);
        }
        LOG.infof("session %s on workspace %s evicted (%s)", session, w.id, reason);
        // its VM is gone: the disk is free
        Tx.run(() -> workspaces.lock(w.id).invoke(row -> {
            if (row != null && session.equals(row.activeSessionId)) {
                row.activeSessionId = null;
                row.lastSessionId = session;
                row.updatedAt = Tx.now();
            }
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
