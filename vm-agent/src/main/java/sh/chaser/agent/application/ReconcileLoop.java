package sh.chaser.agent.application;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import sh.chaser.agent.config.AgentConfig;

/**
 * Converges real state to desired state: once at start (adopting sandboxes that survived the
 * agent, cleaning half-made ones), then at a fixed interval (noticing sandboxes that exited).
 */
@ApplicationScoped
public class ReconcileLoop {

    private static final Logger LOG = Logger.getLogger(ReconcileLoop.class);

    @Inject
    Sandboxes sandboxes;
    @Inject
    jakarta.enterprise.event.Event<SandboxesReconciled> reconciled;
    @Inject
    AgentConfig config;
    @Inject
    sh.chaser.agent.disk.DiskStore disks;

    private ScheduledExecutorService executor;

    void onStart(@Observes StartupEvent event) {
        sandboxes.reconcileAll();
        LOG.infof("reconciled %d sandbox record(s) at start: %d running", sandboxes.list().size(),
                sandboxes.runningIds().size());
        // before the first request: what runs in the adopted sandboxes (background commands) is found again
        reconciled.fire(new SandboxesReconciled(java.util.Set.copyOf(sandboxes.runningIds()),
                java.util.Set.copyOf(sandboxes.pausedIds())));
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "sandbox-reconciler");
            thread.setDaemon(true);
            return thread;
        });
        long interval = config.reconcileInterval().toMillis();
        executor.scheduleWithFixedDelay(this::pass, interval, interval, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (executor != null) {
            executor.shutdownNow();
        }
        if (config.stopSandboxesOnShutdown() || destroyAskedOnce()) {
            int count = sandboxes.list().size();
            sandboxes.destroyAll();
            LOG.infof("destroyed %d sandbox(es) on shutdown", count);
            disks.close();
        }
        sandboxes.close();
    }

    private boolean destroyAskedOnce() {
        try {
            return java.nio.file.Files
                    .deleteIfExists(java.nio.file.Path.of(config.dataDir(), "destroy-sandboxes-on-stop"));
        } catch (java.io.IOException e) {
            return true; // it is there but cannot be removed: do as it asks
        }
    }

    private void pass() {
        try {
            sandboxes.reconcileAll();
            reconciled.fire(new SandboxesReconciled(java.util.Set.copyOf(sandboxes.runningIds()),
                    java.util.Set.copyOf(sandboxes.pausedIds())));
        } catch (RuntimeException e) {
            LOG.error("reconcile pass failed; retrying on the next", e);
        }
    }
}
