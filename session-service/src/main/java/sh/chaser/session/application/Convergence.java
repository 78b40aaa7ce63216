package sh.chaser.session.application;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.jboss.logging.Logger;
import sh.chaser.common.persistence.Tx;
import sh.chaser.common.security.AccountLimits;
import sh.chaser.proto.vmagent.v1.Vm;
import sh.chaser.proto.vmagent.v1.VmState;
import sh.chaser.session.config.SessionConfig;
import sh.chaser.session.domain.TerminationReason;
import sh.chaser.session.persistence.SessionEntity;

/**
 * One live session brought in line with what its host reports about its VM. Used by GET (one
 * session) and by the reconcile loop (every session of every host).
 */
@ApplicationScoped
public class Convergence {

    private static final Logger LOG = Logger.getLogger(Convergence.class);

    @Inject
    SessionStates states;
    @Inject
    Teardown teardown;
    @Inject
    SessionConfig config;
    @Inject
    WorkspaceLocks locks;
    @Inject
    IdleSessions idle;
    @Inject
    PauseSession pauses;

    /** @return the session as it is afterwards */
    public SessionEntity apply(SessionEntity s, Optional<Vm> vm) {
        if (!s.live()) {
            return s;
        }
        if (vm.isPresent()) {
            VmState state = vm.get().getState();
            if (state == VmState.VM_STATE_RUNNING && "creating".equals(s.status)) {
                var outcome = states.markRunning(s.id, vm.get().getRuntime());
                return outcome.changed() ? outcome.session() : s;
            }
            // a pause or resume whose row change a crash cut off: the host's word holds
            if (state == VmState.VM_STATE_PAUSED && "running".equals(s.status)) {
                var outcome = states.markPaused(s.id, null);
                return outcome.changed() ? outcome.session() : s;
            }
            // resuming with the VM still paused: a resume in flight, or one a crash cut off (resume again)
            if (state == VmState.VM_STATE_RUNNING && "resuming".equals(s.status)) {
                var outcome = states.markResumed(s.id, null);
                return outcome.changed() ? outcome.session() : s;
            }
            if (state == VmState.VM_STATE_RUNNING && idle.timedOut(s, vm.get())) {
                return idledOut(s, vm.get().getIdleSeconds());
            }
            if (state == VmState.VM_STATE_FAILED || state == VmState.VM_STATE_STOPPED) {
                String reason = "creating".equals(s.status)
                        ? TerminationReason.BOOT_FAILED
                        : TerminationReason.VM_EXITED;
                LOG.infof("session %s: its VM is %s (%s); ending it (%s)", s.id, state, vm.get().getExitReason(),
                        reason);
                return end(s, reason, true);
            }
            return s;
        }
        if ("running".equals(s.status) || "paused".equals(s.status) || "resuming".equals(s.status)) {
            // A VM that dies on its own stays listed (stopped). One that is gone was destroyed by
            // someone: a forced workspace operation records why before it destroys the VM, and the
            // workspace's owner answers it when the workspace is given back.
            String reason = TerminationReason.VM_EXITED;
            if (s.workspaceId != null) {
                try {
                    String evicted = locks.release(s.accountId, s.workspaceId, s.id).evictedReason();
                    reason = evicted.isEmpty() ? reason : TerminationReason.known(evicted);
                } catch (RuntimeException e) {
                    LOG.warnf("session %s: its VM is gone; workspace-service cannot be asked why (%s), next pass",
                            s.id, e.getMessage());
                    return s;
                }
            }
            LOG.infof("session %s: its host no longer has its VM; ending it (%s)", s.id, reason);
            return end(s, reason, false);
        }
        // creating without a VM: a boot in flight, unless it has been so for too long (a crash between two steps)
        OffsetDateTime staleBefore = Tx.now().minus(config.reconcile().staleAfter());
        if (s.createdAt.isBefore(staleBefore)) {
            LOG.infof("session %s: still creating after %s with no VM on %s; ending it (boot_failed)", s.id,
                    config.reconcile().staleAfter(), s.hostId);
            return end(s, TerminationReason.BOOT_FAILED, true);
        }
        return s;
    }

    /** Paused where its account asks so and its runtime can; ended idle_timeout otherwise. */
    private SessionEntity idledOut(SessionEntity s, long idleSeconds) {
        if (AccountLimits.PAUSE.equals(s.idleAction)) {
            try {
                SessionEntity paused = pauses.pauseIdle(s);
                if (paused != null) {
                    LOG.infof("session %s: unused for %d s (its account's idle timeout is %d s); paused it", s.id,
                            idleSeconds, s.idleTimeoutSeconds);
                    return paused;
                }
            } catch (RuntimeException unreachable) {
                LOG.warnf("session %s: idle, but its host cannot pause it now (%s); next pass", s.id,
                        unreachable.getMessage());
                return s;
            }
            LOG.infof("session %s: idle, and a %s session cannot be paused; ending it instead", s.id, s.runtime);
        }
        LOG.infof("session %s: unused for %d s (its account's idle timeout is %d s); ending it (idle_timeout)",
                s.id, idleSeconds, s.idleTimeoutSeconds);
        return end(s, TerminationReason.IDLE_TIMEOUT, true);
    }

    public SessionEntity end(SessionEntity s, String reason, boolean destroyVm) {
        var outcome = states.terminate(s.id, reason, null);
        if (!outcome.changed()) {
            return outcome.session() == null ? s : outcome.session();
        }
        teardown.after(outcome.session(), destroyVm);
        return outcome.session();
    }
}
