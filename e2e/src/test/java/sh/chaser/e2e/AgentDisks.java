package sh.chaser.e2e;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.TimeUnit;
import sh.chaser.contracts.AgentCallCredentials;
import sh.chaser.contracts.InternalCallers;
import sh.chaser.proto.vmagent.v1.DiskRef;
import sh.chaser.proto.vmagent.v1.DisksGrpc;
import sh.chaser.proto.vmagent.v1.SnapshotList;
import sh.chaser.proto.vmagent.v1.VmAgentGrpc;

/**
 * The platform's vm-agent as its callers see it: its disk API as workspace-service (its certificate
 * and the agent-call secret), its VM API as session-service.
 */
final class AgentDisks implements AutoCloseable {

    private final ManagedChannel asWorkspaceService;
    private final ManagedChannel asSessionService;

    AgentDisks(LocalPlatform platform) {
        AgentCallCredentials secret = new AgentCallCredentials(platform.agentCallSecret(), "e2e-tests");
        asWorkspaceService = Grpc.newChannelBuilderForAddress("127.0.0.1", platform.agentPort(),
                platform.tls(InternalCallers.WORKSPACE).channelCredentials()).intercept(secret).build();
        asSessionService = Grpc.newChannelBuilderForAddress("127.0.0.1", platform.agentPort(),
                platform.tls(InternalCallers.SESSION).channelCredentials()).intercept(secret).build();
    }

    DisksGrpc.DisksBlockingStub disks() {
        return DisksGrpc.newBlockingStub(asWorkspaceService).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    VmAgentGrpc.VmAgentBlockingStub vms() {
        return VmAgentGrpc.newBlockingStub(asSessionService).withDeadlineAfter(60, TimeUnit.SECONDS);
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
        asWorkspaceService.shutdownNow();
        asSessionService.shutdownNow();
    }
}
