package sh.chaser.workspace.application;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
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
import sh.chaser.workspace.persistence.SnapshotEntity;

/** The vm-agent half of snapshot create and delete, as {@link DiskOperations} is for workspaces. */
@ApplicationScoped
public class SnapshotOperations {

    private static final Logger LOG = Logger.getLogger(SnapshotOperations.class);

    @Inject
    PgSnapshotRepository snapshots;
    @Inject
    PgWorkspaceRepository workspaces;
    @Inject
    WorkspaceEvents events;
    @Inject
    Audit audit;
    @Inject
    HostDirectory hosts;
    @Inject
    DiskHosts agents;

    public SnapshotEntity drive(UUID snapshotId, Actor actor) {
        SnapshotEntity s = Tx.read(() -> snapshots.findById(snapshotId));
        if (s == null || "ready".equals(s.state)) {
            return s;
        }
        return drive(s, Tx.read(() -> workspaces.findById(s.workspaceId)).hostId, actor);
    }

    /** @param s the row as its committed transaction left it; @param hostId its workspace's host */
    public SnapshotEntity drive(SnapshotEntity s, String hostId, Actor actor) {
        String state = s.state;
        long[] size = { 0 };
        try {
            String address = hosts.require(hostId).address();
            if ("creating".equals(state)) {
                agents.snapshot(address, s.workspaceId.toString(), s.id.toString());
                // what the snapshot holds is what the disk held when it was taken
                size[0] = agents.usedBytes(address, s.workspaceId.toString());
            } else {
                agents.deleteSnapshot(address, s.workspaceId.toString(), s.id.toString());
            }
        } catch (AgentFailure f) {
            if ("deleting".equals(state) && f.reason() != sh.chaser.proto.errors.v1.ErrorReason.DISK_NOT_FOUND) {
                LOG.warnf("snapshot %s not removed from its host yet (%s); will retry", s.id, f.getMessage());
                return s;
            }
            if ("creating".equals(state)) {
                Tx.run(() -> snapshots.delete("id = ?1 and state = 'creating'", s.id));
                throw AgentErrors.toService(f, "snapshot " + s.name);
            }
        }
        return Tx.run(() -> snapshots.findById(s.id, LockModeType.PESSIMISTIC_WRITE).flatMap(row -> {
            if (row == null || !state.equals(row.state)) {
                return Uni.createFrom().item(row);
            }
            if ("deleting".equals(state)) {
                return snapshots.delete("id = ?1 and state = 'deleting'", row.id).replaceWith(row);
            }
            row.state = "ready";
            row.sizeBytes = size[0];
            row.updatedAt = Tx.now();
            return workspaces.findById(row.workspaceId).flatMap(w -> events.snapshot(w, "snapshot_created", row.name)
                    .call(() -> audit.success(actor, "workspace.snapshot.create", "workspace", w.id.toString(),
                            "created snapshot " + row.name, Map.of("snapshot", row.name))))
                    .replaceWith(row);
        }));
    }
}
