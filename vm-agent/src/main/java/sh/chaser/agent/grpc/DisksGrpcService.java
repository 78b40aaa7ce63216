package sh.chaser.agent.grpc;

import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.inject.Inject;
import sh.chaser.agent.application.Sandboxes;
import sh.chaser.agent.disk.DiskStore;
import sh.chaser.agent.disk.GitImport;
import sh.chaser.agent.domain.AgentError;
import sh.chaser.proto.vmagent.v1.CloneDiskRequest;
import sh.chaser.proto.vmagent.v1.CreateDiskRequest;
import sh.chaser.proto.vmagent.v1.DeleteResult;
import sh.chaser.proto.vmagent.v1.Disk;
import sh.chaser.proto.vmagent.v1.DiskEntry;
import sh.chaser.proto.vmagent.v1.DiskList;
import sh.chaser.proto.vmagent.v1.DiskRef;
import sh.chaser.proto.vmagent.v1.Disks;
import sh.chaser.proto.vmagent.v1.ImportGitRequest;
import sh.chaser.proto.vmagent.v1.ImportProgress;
import sh.chaser.proto.vmagent.v1.ListDisksRequest;
import sh.chaser.proto.vmagent.v1.Snapshot;
import sh.chaser.proto.vmagent.v1.SnapshotList;
import sh.chaser.proto.vmagent.v1.SnapshotRef;

/** The agent's disk API: translation between the contract and {@link DiskStore}. */
@GrpcService
@Blocking
public class DisksGrpcService implements Disks {

    @Inject
    DiskStore store;
    @Inject
    Sandboxes sandboxes;
    @Inject
    GitImport git;

    @Override
    public Uni<Disk> createDisk(CreateDiskRequest request) {
        return GrpcErrors.call(() -> {
            store.create(request.getDiskId());
            return disk(request.getDiskId(), false);
        });
    }

    @Override
    public Uni<Disk> cloneDisk(CloneDiskRequest request) {
        return GrpcErrors.call(() -> {
            store.clone(request.getSourceDiskId(), request.getSnapshot(), request.getDiskId());
            return disk(request.getDiskId(), false);
        });
    }

    @Override
    public Uni<DeleteResult> deleteDisk(DiskRef request) {
        return GrpcErrors.call(() -> {
            notInUse(request.getDiskId());
            return DeleteResult.newBuilder().setExisted(store.delete(request.getDiskId())).build();
        });
    }

    @Override
    public Uni<Disk> diskUsage(DiskRef request) {
        return GrpcErrors.call(() -> disk(request.getDiskId(), true));
    }

    @Override
    public Uni<DiskList> listDisks(ListDisksRequest request) {
        return GrpcErrors.call(() -> DiskList.newBuilder().addAllDisks(store.disks().stream()
                .map(d -> DiskEntry.newBuilder().setDiskId(d.name()).setCreatedAt(d.createdAt().toInstant().toString())
                        .build())
                .toList()).build());
    }

    @Override
    public Uni<Snapshot> createSnapshot(SnapshotRef request) {
        return GrpcErrors.call(() -> {
            store.snapshot(request.getDiskId(), request.getName());
            return store.snapshots(request.getDiskId()).stream().filter(s -> s.name().equals(request.getName()))
                    .findFirst().map(s -> snapshot(request.getDiskId(), s)).orElseThrow();
        });
    }

    @Override
    public Uni<SnapshotList> listSnapshots(DiskRef request) {
        return GrpcErrors
                .call(() -> SnapshotList.newBuilder().addAllSnapshots(store.snapshots(request.getDiskId()).stream()
                        .map(s -> snapshot(request.getDiskId(), s)).toList()).build());
    }

    @Override
    public Uni<Disk> restoreSnapshot(SnapshotRef request) {
        return GrpcErrors.call(() -> {
            notInUse(request.getDiskId());
            store.restore(request.getDiskId(), request.getName());
            return disk(request.getDiskId(), false);
        });
    }

    @Override
    public Uni<DeleteResult> deleteSnapshot(SnapshotRef request) {
        return GrpcErrors.call(() -> DeleteResult.newBuilder()
                .setExisted(store.deleteSnapshot(request.getDiskId(), request.getName())).build());
    }

    @Override
    public Multi<ImportProgress> importGit(ImportGitRequest request) {
        return Multi.createFrom().<ImportProgress>emitter(emitter -> {
            try {
                notInUse(request.getDiskId());
                git.run(request.getDiskId(), request.getRepository(), request.getRef(), progress -> emitter.emit(
                        ImportProgress.newBuilder().setPhase(progress.phase()).setPercent(progress.percent())
                                .setMessage(progress.message()).build()));
                emitter.complete();
            } catch (RuntimeException e) {
                emitter.fail(GrpcErrors.toStatus(e));
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** A disk mounted in a running sandbox is neither restored nor deleted under it. */
    private void notInUse(String diskId) {
        sandboxes.usingDisk(diskId).ifPresent(sessionId -> {
            throw AgentError.DISK_IN_USE.exception("disk " + diskId + " is attached to sandbox " + sessionId);
        });
    }

    /** Usage walks the whole disk: only DiskUsage pays for it, so snapshot-time calls stay flat. */
    private Disk disk(String diskId, boolean withUsage) {
        return Disk.newBuilder().setDiskId(diskId).setUsedBytes(withUsage ? store.usage(diskId) : 0)
                .setCapBytes(store.capBytes()).setStore(store.kind()).build();
    }

    private static Snapshot snapshot(String diskId, DiskStore.Snapshot snapshot) {
        return Snapshot.newBuilder().setDiskId(diskId).setName(snapshot.name())
                .setCreatedAt(snapshot.createdAt().toInstant().toString()).build();
    }

}
