package sh.chaser.e2e;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.TimeUnit;
import sh.chaser.proto.vmagent.v1.DiskRef;
import sh.chaser.proto.vmagent.v1.DisksGrpc;
import sh.chaser.proto.vmagent.v1.SnapshotList;
import sh.chaser.proto.vmagent.v1.VmAgentGrpc;

/** The platform's vm-agent as workspace-service sees it: its disk and VM gRPC APIs. */
final class AgentDisks implements AutoCloseable {

    private final ManagedChannel channel;

    AgentDisks(LocalPlatform platform) {
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", platform.agentPort()).usePlaintext()
                .intercept(new sh.chaser.contracts.AgentCallCredentials(platform.agentCallSecret(), "e2e-tests"))
                .build();
    }

    DisksGrpc.DisksBlockingStub disks() {
        return DisksGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    VmAgentGrpc.VmAgentBlockingStub vms() {
        return VmAgentGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    /** Bytes used by the disk, or -1 when the agent has no such disk. */
    long usedBytes(String diskId) {
        try {
            return disks().diskUsage(DiskRef.newBuilder().setDiskId(diskId).build()).getUsedBytes();
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND) {
                return -1;
            }
            throw e;
        }
    }

    SnapshotList snapshots(String diskId) {
        return disks().listSnapshots(DiskRef.newBuilder().setDiskId(diskId).build());
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }
}
