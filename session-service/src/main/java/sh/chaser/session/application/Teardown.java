package sh.chaser.session.application;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import sh.chaser.session.grpc.Agents;
import sh.chaser.session.grpc.WorkspaceLockClient;
import sh.chaser.session.persistence.SessionEntity;

/**
 * What follows a committed termination: the VM destroyed on its host and the workspace lock given
 * back. Both are best effort here and certain eventually: the reconcile loop destroys any VM without
 * a live session, and workspace-service releases the lock when the terminated event reaches it.
 */
@ApplicationScoped
public class Teardown {

    private static final Logger LOG = Logger.getLogger(Teardown.class);

    @Inject
    Agents agents;
    @Inject
    Placement placement;
    @Inject
    WorkspaceLockClient locks;

    public void after(SessionEntity s) {
        after(s, true);
    }

    /** @param destroyVm false when the VM is known to be gone already (destroyed by workspace-service, host lost) */
    public void after(SessionEntity s, boolean destroyVm) {
        if (destroyVm) {
            placement.address(s.hostId).ifPresent(host -> {
                try {
                    agents.destroy(host.address(), s.id.toString());
                } catch (RuntimeException e) {
                    LOG.warnf("session %s: destroying its VM on %s failed (%s); the reconcile loop retries",
                            s.id, s.hostId, e.getMessage());
                }
            });
        }
        if (s.workspaceId != null) {
            try {
                locks.release(s.accountId, s.workspaceId, s.id);
            } catch (RuntimeException e) {
                LOG.warnf("session %s: releasing workspace %s failed (%s); the terminated event releases it",
                        s.id, s.workspaceId, e.getMessage());
            }
        }
    }
}
