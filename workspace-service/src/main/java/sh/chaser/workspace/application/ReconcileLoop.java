package sh.chaser.workspace.application;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import sh.chaser.common.persistence.Tx;
import sh.chaser.common.security.Actor;
import sh.chaser.workspace.config.WorkspaceConfig;
import sh.chaser.workspace.messaging.WorkspaceEvents;
import sh.chaser.workspace.persistence.PgSnapshotRepository;
import sh.chaser.workspace.persistence.PgWorkspaceRepository;
import sh.chaser.workspace.persistence.SnapshotEntity;
import sh.chaser.workspace.persistence.WorkspaceEntity;

/**
 * Finishes disk work that an instance started and did not finish (it crashed, or the host did not
 * answer), and keeps each workspace's {@code size_bytes} current from its vm-agent.
 */
@ApplicationScoped
public class ReconcileLoop {

    private static final Logger LOG = Logger.getLogger(ReconcileLoop.class);
    private static final String SERVICE = "workspace-service";

    @Inject
    WorkspaceConfig config;
    @Inject
    PgWorkspaceRepository workspaces;
    @Inject
    PgSnapshotRepository snapshots;
    @Inject
    DiskOperations disks;
    @Inject
    SnapshotOperations snapshotOperations;
    @Inject
    HostDirectory hosts;
    @Inject
    DiskHosts agents;
    @Inject
    WorkspaceEvents events;

    private ScheduledExecutorService loop;
    private long lastUsageRefresh;

    void start(@Observes StartupEvent event) {
        loop = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "workspace-reconcile"));
        long every = config.reconcile().interval().toMillis();
        loop.scheduleWithFixedDelay(this::once, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (loop != null) {
            loop.shutdownNow();
        }
    }

    void once() {
        try {
            var cutoff = Tx.now().minus(config.reconcile().staleAfter());
            List<WorkspaceEntity> unfinished = Tx.read(() -> workspaces.unfinished(cutoff));
            var importCutoff = cutoff.minus(config.agents().importDeadline());
            for (WorkspaceEntity w : unfinished) {
                if ("import".equals(w.operation) && w.operationStartedAt.isAfter(importCutoff)) {
                    continue; // an import may legitimately run that long
                }
                finish(() -> disks.drive(w.id, Actor.system(w.accountId, SERVICE)),
                        "workspace " + w.id + " " + w.operation);
            }
            List<SnapshotEntity> pending = Tx.read(() -> snapshots.unfinished(cutoff));
            for (SnapshotEntity s : pending) {
                finish(() -> snapshotOperations.drive(s.id, Actor.system(s.accountId, SERVICE)),
                        "snapshot " + s.id + " " + s.state);
            }
            if (System.nanoTime() - lastUsageRefresh > config.reconcile().usageInterval().toNanos()) {
                lastUsageRefresh = System.nanoTime();
                refreshSizes();
                sweepOrphans();
            }
        } catch (RuntimeException e) {
            LOG.warnf("reconcile pass failed, next one retries: %s", e.getMessage());
        }
    }

    private void finish(Runnable work, String what) {
        try {
            LOG.infof("finishing interrupted %s", what);
            work.run();
        } catch (RuntimeException e) {
            LOG.warnf("%s not finished yet: %s", what, e.getMessage());
        }
    }

    /** Removes disks no workspace names: only possible after a create was undone while its disk call still ran. */
    private void sweepOrphans() {
        java.time.Instant cutoff = java.time.Instant.now().minus(config.reconcile().orphanAfter());
        List<HostDirectory.Host> live;
        try {
            live = hosts.live();
        } catch (RuntimeException e) {
            return; // the registry is away; the next pass looks again
        }
        for (HostDirectory.Host host : live) {
            try {
                List<UUID> old = agents.list(host.address()).entrySet().stream()
                        .filter(e -> e.getValue().isBefore(cutoff)).map(e -> uuid(e.getKey()))
                        .filter(java.util.Objects::nonNull).toList();
                if (old.isEmpty()) {
                    continue;
                }
                Set<UUID> known = new HashSet<>(Tx.read(() -> workspaces.known(old)));
                for (UUID id : old) {
                    if (!known.contains(id)) {
                        LOG.infof("removing orphan disk %s on host %s (no workspace names it)", id, host.id());
                        agents.delete(host.address(), id.toString());
                    }
                }
            } catch (RuntimeException e) {
                LOG.debugf("orphan disks on %s not swept: %s", host.id(), e.getMessage());
            }
        }
    }

    private static UUID uuid(String s) {
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void refreshSizes() {
        List<WorkspaceEntity> ready = Tx.read(() -> workspaces.readyOnHosts());
        List<HostDirectory.Host> live;
        try {
            live = ready.isEmpty() ? List.of() : hosts.live();
        } catch (RuntimeException e) {
            LOG.debugf("sizes not refreshed: %s", e.getMessage());
            return;
        }
        for (WorkspaceEntity w : ready) {
            live.stream().filter(h -> h.id().equals(w.hostId)).findFirst().ifPresent(host -> {
                try {
                    long used = agents.usedBytes(host.address(), w.id.toString());
                    if (used != w.sizeBytes) {
                        // a changed size is a fact for usage (account-service) as well as for our limits
                        Tx.run(() -> workspaces.lock(w.id).flatMap(row -> {
                            if (row == null || row.deletedAt != null || row.sizeBytes == used) {
                                return io.smallrye.mutiny.Uni.createFrom().voidItem();
                            }
                            row.sizeBytes = used;
                            return events.changed(row, "storage_measured");
                        }));
                    }
                } catch (RuntimeException e) {
                    LOG.debugf("size of workspace %s not read: %s", w.id, e.getMessage());
                }
            });
        }
    }
}
