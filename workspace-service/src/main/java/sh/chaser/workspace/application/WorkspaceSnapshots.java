package sh.chaser.workspace.application;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import sh.chaser.common.messaging.Audit;
import sh.chaser.common.persistence.Tx;
import sh.chaser.common.security.Actor;
import sh.chaser.workspace.domain.ErrorCode;
import sh.chaser.workspace.domain.WorkspaceNames;
import sh.chaser.workspace.messaging.WorkspaceEvents;
import sh.chaser.workspace.persistence.PgSnapshotRepository;
import sh.chaser.workspace.persistence.PgWorkspaceRepository;
import sh.chaser.workspace.persistence.SnapshotEntity;
import sh.chaser.workspace.persistence.WorkspaceEntity;

/** Filesystem restore points of a whole workspace disk. */
@ApplicationScoped
public class WorkspaceSnapshots {

    public record Listed(WorkspaceEntity workspace, List<SnapshotEntity> snapshots) {}

    @Inject
    PgWorkspaceRepository workspaces;
    @Inject
    PgSnapshotRepository snapshots;
    @Inject
    WorkspaceLookup lookup;
    @Inject
    SessionEvictions evictions;
    @Inject
    SnapshotOperations operations;
    @Inject
    DiskOperations disks;
    @Inject
    WorkspaceEvents events;
    @Inject
    Audit audit;

    public Listed list(Actor actor, String selector) {
        return Tx.read(() -> lookup.resolve(actor.accountId(), selector)
                .flatMap(w -> snapshots.visible(w.id).map(list -> new Listed(w, list))));
    }

    public SnapshotEntity create(Actor actor, String selector, String name, boolean force) {
        WorkspaceNames.require(name, "name");
        WorkspaceEntity found = Tx.read(() -> lookup.resolve(actor.accountId(), selector));
        evictions.freeIfForced(found, force, "forced");
        SnapshotEntity s = new SnapshotEntity();
        s.id = UUID.randomUUID();
        s.workspaceId = found.id;
        s.accountId = actor.accountId();
        s.name = name;
        s.state = "creating";
        s.createdAt = Tx.now();
        s.updatedAt = s.createdAt;
        try {
            Tx.run(() -> workspaces.lock(found.id).flatMap(w -> {
                SessionEvictions.requireIdle(w);
                SessionEvictions.requireFree(w);
                return snapshots.persist(s);
            }));
        } catch (RuntimeException e) {
            if (UniqueViolations.of(e, "workspace_snapshots_name")) {
                throw ErrorCode.SNAPSHOT_NAME_TAKEN.exception("workspace " + found.displayName()
                        + " already has a snapshot named \"" + name + "\"");
            }
            throw e;
        }
        SnapshotEntity made = operations.drive(s, found.hostId, actor);
        if (made == null) {
            throw ErrorCode.WORKSPACE_NOT_FOUND.exception("workspace " + found.displayName()
                    + " was deleted while the snapshot was taken");
        }
        return made;
    }

    public WorkspaceEntity restore(Actor actor, String selector, String name, boolean force) {
        WorkspaceEntity found = Tx.read(() -> lookup.resolve(actor.accountId(), selector));
        evictions.freeIfForced(found, force, "snapshot_restore");
        WorkspaceEntity restoring = Tx.run(() -> workspaces.lock(found.id).flatMap(w -> {
            SessionEvictions.requireIdle(w);
            SessionEvictions.requireFree(w);
            return ready(w, name).map(s -> {
                w.begin("restore", s.id.toString(), Tx.now());
                return w;
            });
        }));
        WorkspaceEntity driven = disks.drive(restoring, actor);
        return driven != null ? driven : Tx.read(() -> workspaces.findById(found.id));
    }

    public void delete(Actor actor, String selector, String name) {
        UUID id = Tx.run(() -> lookup.resolve(actor.accountId(), selector).flatMap(w -> ready(w, name)
                .call(s -> {
                    s.state = "deleting";
                    s.updatedAt = Tx.now();
                    return events.snapshot(w, "snapshot_deleted", s.name).call(() -> audit.success(actor,
                            "workspace.snapshot.delete", "workspace", w.id.toString(), "deleted snapshot " + s.name,
                            Map.of("snapshot", s.name)));
                }).map(s -> s.id)));
        operations.drive(id, actor);
    }

    private Uni<SnapshotEntity> ready(WorkspaceEntity w, String name) {
        return snapshots.byName(w.id, name).map(s -> {
            if (s == null || !"ready".equals(s.state)) {
                throw ErrorCode.SNAPSHOT_NOT_FOUND
                        .exception("workspace " + w.displayName() + " has no snapshot \"" + name + "\"");
            }
            return s;
        });
    }
}
