package sh.chaser.workspace.application;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;
import sh.chaser.common.grpc.AgentFailure;
import sh.chaser.common.messaging.Audit;
import sh.chaser.common.persistence.Tx;
import sh.chaser.common.security.Actor;
import sh.chaser.workspace.messaging.WorkspaceEvents;
import sh.chaser.workspace.persistence.PgSnapshotRepository;
import sh.chaser.workspace.persistence.PgWorkspaceRepository;
import sh.chaser.workspace.persistence.WorkspaceEntity;

/**
 * The second half of every disk operation on a workspace: the row says what to do (committed first),
 * the vm-agent does it (idempotently), and one more transaction records the outcome with its event.
 * A request runs it at once; the reconcile loop runs it for work a crashed instance left behind.
 */
@ApplicationScoped
public class DiskOperations {

    private static final Logger LOG = Logger.getLogger(DiskOperations.class);

    @Inject
    PgWorkspaceRepository workspaces;
    @Inject
    PgSnapshotRepository snapshots;
    @Inject
    WorkspaceEvents events;
    @Inject
    Audit audit;
    @Inject
    HostDirectory hosts;
    @Inject
    DiskHosts agents;
    @Inject
    GitImports imports;

    /** @return the workspace once its operation is done; throws what the caller should be told otherwise */
    public WorkspaceEntity drive(UUID workspaceId, Actor actor) {
        return drive(Tx.read(() -> workspaces.findById(workspaceId)), actor);
    }

    /** @param w the row as the transaction that set its operation committed it (no second read) */
    public WorkspaceEntity drive(WorkspaceEntity w, Actor actor) {
        if (w == null || w.operation == null) {
            return w;
        }
        if ("import".equals(w.operation)) {
            imports.run(w, actor);
            return Tx.read(() -> workspaces.findById(w.id));
        }
        try {
            String address = hosts.require(w.hostId).address();
            switch (w.operation) {
                case "create" -> agents.create(address, w.id.toString());
                case "clone" -> agents.cloneDisk(address, w.operationArg, w.id.toString());
                case "restore" -> agents.restore(address, w.id.toString(), w.operationArg);
                case "delete" -> agents.delete(address, w.id.toString());
                default -> throw new IllegalStateException("unknown operation " + w.operation);
            }
        } catch (AgentFailure f) {
            return failed(w, actor, f);
        }
        return finish(w.id, w.operation, w.operationStartedAt, actor);
    }

    private WorkspaceEntity finish(UUID id, String op, OffsetDateTime started, Actor actor) {
        return Tx.run(() -> workspaces.lockIfCarrying(id, op, started).flatMap(w -> {
            if (w == null) {
                return Uni.createFrom().nullItem();
            }
            OffsetDateTime now = Tx.now();
            String restored = w.operationArg;
            w.finish(now);
            return switch (op) {
                case "create", "clone" -> events.changed(w, "created")
                        .call(() -> audit.success(actor, "workspace.create", "workspace", w.id.toString(),
                                "created workspace " + w.displayName(), w.sourceWorkspaceId == null
                                        ? Map.of()
                                        : Map.of("clone_from", w.sourceWorkspaceId.toString())))
                        .replaceWith(w);
                case "restore" -> snapshots.findById(UUID.fromString(restored)).flatMap(s -> events
                        .snapshot(w, "snapshot_restored", s == null ? restored : s.name)
                        .call(() -> audit.success(actor, "workspace.snapshot.restore", "workspace", w.id.toString(),
                                "restored snapshot " + (s == null ? restored : s.name), Map.of())))
                        .replaceWith(w);
                case "delete" -> snapshots.deleteOf(w.id).replaceWith(w);
                default -> Uni.createFrom().item(w);
            };
        }));
    }

    private WorkspaceEntity failed(WorkspaceEntity w, Actor actor, AgentFailure f) {
        String op = w.operation;
        switch (op) {
            case "create", "clone" -> {
                // nothing was promised yet: the workspace never existed
                // a bulk delete, not a managed remove: a locked-then-removed entity once left its
                // transaction uncommitted under concurrent deletes (seen with snapshots)
                Tx.run(() -> workspaces.delete("id = ?1 and operation = ?2 and operationStartedAt = ?3",
                        w.id, op, w.operationStartedAt));
                throw AgentErrors.toService(f, op + " of workspace " + w.displayName());
            }
            case "restore" -> {
                if (f.unreachable()) {
                    throw AgentErrors.toService(f, "restore");
                }
                // the agent's restore is atomic: the disk still holds what it held
                Tx.run(() -> workspaces.lockIfCarrying(w.id, op, w.operationStartedAt).invoke(row -> {
                    if (row != null) {
                        row.finish(Tx.now());
                    }
                }));
                throw AgentErrors.toService(f, "restore of workspace " + w.displayName());
            }
            case "delete" -> {
                if (f.reason() == sh.chaser.proto.errors.v1.ErrorReason.DISK_NOT_FOUND) {
                    return finish(w.id, op, w.operationStartedAt, actor);
                }
                // already deleted for the user; the reconcile loop retries the disk
                LOG.warnf("disk of deleted workspace %s not removed yet (%s); will retry", w.id, f.getMessage());
                return w;
            }
            default -> throw new IllegalStateException("unknown operation " + op);
        }
    }
}
