package sh.chaser.session.application;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import sh.chaser.common.grpc.AgentFailure;
import sh.chaser.common.persistence.Tx;
import sh.chaser.proto.vmagent.v1.Vm;
import sh.chaser.session.config.SessionConfig;
import sh.chaser.session.domain.TerminationReason;
import sh.chaser.session.persistence.HostEntity;
import sh.chaser.session.persistence.PgLeaseRepository;
import sh.chaser.session.persistence.PgSessionRepository;
import sh.chaser.session.persistence.SessionEntity;

/**
 * Never lose a session: every interval the database is compared with what every live vm-agent runs.
 * A VM without a live session on its host is destroyed (one of a session moving there is left alone); a live session whose VM is gone or dead ends (vm_exited,
 * boot_failed); a creating session whose VM runs becomes running; the sessions of a host silent for
 * {@code lost-after-seconds} end (host_lost) and give their workspaces back; reservations a crash
 * left behind give their workspace lock back; a terminated session whose workspace is not given
 * back yet has its VM destroyed, then the workspace released; expired leases are dropped. Every step is idempotent,
 * so several instances may run it side by side.
 */
@ApplicationScoped
public class ReconcileLoop {

    private static final Logger LOG = Logger.getLogger(ReconcileLoop.class);

    @Inject
    SessionConfig config;
    @Inject
    Placement placement;
    @Inject
    VmAgents agents;
    @Inject
    PgSessionRepository sessions;
    @Inject
    PgLeaseRepository leases;
    @Inject
    Convergence convergence;
    @Inject
    Reservations reservations;
    @Inject
    Teardown teardown;

    private ScheduledExecutorService loop;
    private volatile long startedAt;

    void start(@Observes StartupEvent event) {
        startedAt = System.nanoTime();
        loop = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "session-reconcile"));
        long every = config.reconcile().interval().toMillis();
        loop.scheduleWithFixedDelay(this::once, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (loop != null) {
            loop.shutdownNow();
        }
    }

    public void once() {
        try {
            Tx.run(() -> leases.expire(Tx.now()));
            placement.live().forEach(this::reconcileHost);
            // a host looks silent to an instance that was itself down: it is lost only once this
            // instance has been listening for heartbeats for the whole lost-after period
            if (System.nanoTime() - startedAt > TimeUnit.SECONDS.toNanos(config.hosts().lostAfterSeconds())) {
                placement.silent().forEach(this::hostLost);
            }
            reservations.reapStale();
            teardown.finishReleases();
        } catch (RuntimeException e) {
            LOG.warnf("reconcile pass failed (%s); retrying on the next one", e.toString());
        }
    }

    private void reconcileHost(HostEntity host) {
        List<Vm> vms;
        try {
            vms = agents.list(host.grpcAddress);
        } catch (AgentFailure e) {
            return; // silent long enough, it becomes host_lost
        }
        // sessions first, VMs second: a session created in between has no VM listed yet and is left alone
        List<SessionEntity> live = Tx.read(() -> sessions.liveOn(host.id));
        Map<String, Vm> byId = new HashMap<>();
        vms.forEach(vm -> byId.put(vm.getSessionId(), vm));
        for (SessionEntity s : live) {
            try {
                convergence.apply(s, Optional.ofNullable(byId.remove(s.id.toString())));
            } catch (RuntimeException e) {
                LOG.warnf("reconciling session %s failed (%s)", s.id, e.toString());
            }
        }
        for (Vm vm : byId.values()) {
            SessionEntity s = Tx.read(() -> sessions.findById(UUID.fromString(vm.getSessionId())));
            if (s != null && s.live()
                    && (s.hostId == null || s.hostId.equals(host.id) || "resuming".equals(s.status))) {
                continue; // became live after the list above (or is moving here); the next pass looks at it
            }
            LOG.infof("host %s runs VM %s without a live session there; destroying it", host.id, vm.getSessionId());
            try {
                agents.destroy(host.grpcAddress, vm.getSessionId());
            } catch (AgentFailure e) {
                LOG.warnf("destroying VM %s on %s failed (%s)", vm.getSessionId(), host.id, e.getMessage());
            }
        }
    }

    private void hostLost(HostEntity host) {
        for (SessionEntity s : Tx.read(() -> sessions.liveOn(host.id))) {
            LOG.warnf("host %s silent since %s: ending session %s (host_lost)", host.id, host.lastHeartbeatAt, s.id);
            convergence.end(s, TerminationReason.HOST_LOST, false);
        }
    }
}
