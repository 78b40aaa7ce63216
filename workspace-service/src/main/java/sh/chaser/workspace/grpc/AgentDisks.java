package sh.chaser.workspace.grpc;

import io.grpc.StatusRuntimeException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import sh.chaser.common.grpc.AgentChannels;
import sh.chaser.common.grpc.AgentFailure;
import sh.chaser.proto.vmagent.v1.CloneDiskRequest;
import sh.chaser.proto.vmagent.v1.CreateDiskRequest;
import sh.chaser.proto.vmagent.v1.DestroyRequest;
import sh.chaser.proto.vmagent.v1.DiskRef;
import sh.chaser.proto.vmagent.v1.DisksGrpc;
import sh.chaser.proto.vmagent.v1.ImportGitRequest;
import sh.chaser.proto.vmagent.v1.ImportProgress;
import sh.chaser.proto.vmagent.v1.ListDisksRequest;
import sh.chaser.proto.vmagent.v1.SnapshotRef;
import sh.chaser.proto.vmagent.v1.VmAgentGrpc;
import sh.chaser.workspace.application.DiskHosts;
import sh.chaser.workspace.config.WorkspaceConfig;

/** Blocking calls to the vm-agent of one host; every disk call there is idempotent by id. */
@ApplicationScoped
public class AgentDisks implements DiskHosts {

    @Inject
    WorkspaceConfig config;
    @Inject
    AgentChannels channels;

    @Override
    public void create(String address, String diskId) {
        call(address, d -> d.createDisk(CreateDiskRequest.newBuilder().setDiskId(diskId).build()));
    }

    @Override
    public void cloneDisk(String address, String sourceDiskId, String diskId) {
        call(address, d -> d
                .cloneDisk(CloneDiskRequest.newBuilder().setSourceDiskId(sourceDiskId).setDiskId(diskId).build()));
    }

    @Override
    public void delete(String address, String diskId) {
        call(address, d -> d.deleteDisk(DiskRef.newBuilder().setDiskId(diskId).build()));
    }

    @Override
    public Map<String, Instant> list(String address) {
        Map<String, Instant> disks = new HashMap<>();
        call(address, d -> d.listDisks(ListDisksRequest.getDefaultInstance())).getDisksList()
                .forEach(e -> disks.put(e.getDiskId(), Instant.parse(e.getCreatedAt())));
        return disks;
    }

    @Override
    public long usedBytes(String address, String diskId) {
        return call(address, d -> d.diskUsage(DiskRef.newBuilder().setDiskId(diskId).build())).getUsedBytes();
    }

    @Override
    public void snapshot(String address, String diskId, String snapshot) {
        call(address, d -> d.createSnapshot(SnapshotRef.newBuilder().setDiskId(diskId).setName(snapshot).build()));
    }

    @Override
    public void restore(String address, String diskId, String snapshot) {
        call(address, d -> d.restoreSnapshot(SnapshotRef.newBuilder().setDiskId(diskId).setName(snapshot).build()));
    }

    @Override
    public void deleteSnapshot(String address, String diskId, String snapshot) {
        call(address, d -> d.deleteSnapshot(SnapshotRef.newBuilder().setDiskId(diskId).setName(snapshot).build()));
    }

    @Override
    public void importGit(String address, String diskId, String repository, String ref,
            Consumer<ImportProgress> progress) {
        try {
            DisksGrpc.newBlockingStub(channels.of(address))
                    .withDeadlineAfter(config.agents().importDeadline().toMillis(), TimeUnit.MILLISECONDS)
                    .importGit(ImportGitRequest.newBuilder().setDiskId(diskId).setRepository(repository)
                            .setRef(ref == null ? "" : ref).build())
                    .forEachRemaining(progress);
        } catch (StatusRuntimeException e) {
            throw AgentFailure.of(e);
        }
    }

    @Override
    public void destroyVm(String address, String sessionId) {
        try {
            VmAgentGrpc.newBlockingStub(channels.of(address)).withDeadlineAfter(config.agents().deadline().toMillis(),
                    TimeUnit.MILLISECONDS)
                    .destroy(DestroyRequest.newBuilder().setSessionId(sessionId).build());
        } catch (StatusRuntimeException e) {
            throw AgentFailure.of(e);
        }
    }

    private <T> T call(String address, Function<DisksGrpc.DisksBlockingStub, T> call) {
        try {
            return call.apply(DisksGrpc.newBlockingStub(channels.of(address))
                    .withDeadlineAfter(config.agents().deadline().toMillis(), TimeUnit.MILLISECONDS));
        } catch (StatusRuntimeException e) {
            throw AgentFailure.of(e);
        }
    }
}
