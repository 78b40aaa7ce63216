package sh.chaser.session.application;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.jboss.logging.Logger;
import sh.chaser.common.persistence.Tx;
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

    /** Running sessions whose VM their host no longer lists, since when (this instance's view). */
    private final java.util.Map<java.util.UUID, Long> vanished = new java.util.concurrent.ConcurrentHashMap<>();

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
            if (state == VmState.VM_STATE_FAILED || state == VmState.VM_STATE_STOPPED) {
                // a forced workspace operation destroys the VM with its reason, which the host reports
                String why = vm.get().getExitReason();
                String reason = TerminationReason.ALL.contains(why) && !TerminationReason.VM_EXITED.equals(why)
                        ? why
                        : "creating".equals(s.status) ? TerminationReason.BOOT_FAILED : TerminationReason.VM_EXITED;
                LOG.infof("session %s: its VM is %s (%s); ending it (%s)", s.id, state, vm.get().getExitReason(),
                        reason);
                return end(s, reason, true);
            }
            return s;
        }
        if ("running".equals(s.status)) {
            // A VM that dies on its own stays listed (stopped). One that is gone was destroyed by
            // someone: a forced workspace operation, whose session_evicted event carries the real
            // reason and is on its way. It gets a moment to arrive before vm_exited is assumed.
            long now = System.nanoTime();
            long since = vanished.computeIfAbsent(s.id, id -> now);
            if (now - since < config.reconcile().vanishedGrace().toNanos()) {
                return s;
            }
            vanished.remove(s.id);
            LOG.infof("session %s: its host no longer has its VM; ending it (vm_exited)", s.id);
            return end(s, TerminationReason.VM_EXITED, false);
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

    public SessionEntity end(SessionEntity s, String reason, boolean destroyVm) {
        vanished.remove(s.id);
        var outcome = states.terminate(s.id, reason, null);
        if (!outcome.changed()) {
            return outcome.session() == null ? s : outcome.session();
        }
        teardown.after(outcome.session(), destroyVm);
        return outcome.session();
    }
}
