package sh.chaser.session.application;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import sh.chaser.common.persistence.Tx;
import sh.chaser.session.persistence.PgSessionRepository;
import sh.chaser.session.persistence.SessionEntity;

/**
 * What follows a committed termination: the VM destroyed on its host, then, only once it is gone,
 * the workspace given back (workspace-service's lock), and the row marked so. A step that fails is
 * retried by the reconcile loop ({@link #finishReleases}), so a workspace is never free while a VM
 * still writes to its disk, and never held forever by a session that ended.
 */
@ApplicationScoped
public class Teardown {

    private static final Logger LOG = Logger.getLogger(Teardown.class);

    @Inject
    VmAgents agents;
    @Inject
    Placement placement;
    @Inject
    WorkspaceLocks locks;
    @Inject
    PgSessionRepository sessions;

    public void after(SessionEntity s) {
        after(s, true);
    }

    /** @param destroyVm false when the VM is known to be gone already (evicted, vanished, host lost) */
    public void after(SessionEntity s, boolean destroyVm) {
        if ((!destroyVm || vmGone(s)) && s.workspaceId != null) {
            giveBack(s);
        }
    }

    /** A terminated session that still holds its workspace: destroy (again) and give it back. */
    public void finish(SessionEntity s) {
        if (vmGone(s)) {
            giveBack(s);
        }
    }

    /** The reconcile loop's pass over terminated sessions whose workspace is not given back yet. */
    public void finishReleases() {
        Tx.read(() -> sessions.unreleased()).forEach(this::finish);
    }

    /** Destroys the VM (idempotent); true when it is gone, or its host is lost and cannot run it. */
    private boolean vmGone(SessionEntity s) {
        var host = placement.address(s.hostId);
        if (host.isEmpty()) {
            return true;
        }
        try {
            agents.destroy(host.get().address(), s.id.toString());
            return true;
        } catch (RuntimeException e) {
            boolean lost = placement.silent().stream().anyMatch(h -> h.id.equals(s.hostId));
            if (!lost) {
                LOG.warnf("session %s: destroying its VM on %s failed (%s); the reconcile loop retries", s.id,
                        s.hostId, e.getMessage());
            }
            return lost;
        }
    }

    private void giveBack(SessionEntity s) {
        try {
            locks.release(s.accountId, s.workspaceId, s.id);
            Tx.run(() -> sessions.markReleased(s.id));
        } catch (RuntimeException e) {
            LOG.warnf("session %s: giving workspace %s back failed (%s); the reconcile loop retries", s.id,
                    s.workspaceId, e.getMessage());
        }
    }
}
