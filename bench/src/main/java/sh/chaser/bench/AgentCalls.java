package sh.chaser.bench;

import io.grpc.ManagedChannel;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import sh.chaser.contracts.InternalCallers;
import sh.chaser.proto.vmagent.v1.BootRequest;
import sh.chaser.proto.vmagent.v1.CloneDiskRequest;
import sh.chaser.proto.vmagent.v1.CreateDiskRequest;
import sh.chaser.proto.vmagent.v1.DestroyRequest;
import sh.chaser.proto.vmagent.v1.DiskRef;
import sh.chaser.proto.vmagent.v1.DisksGrpc;
import sh.chaser.proto.vmagent.v1.ExecRequest;
import sh.chaser.proto.vmagent.v1.SnapshotRef;
import sh.chaser.proto.vmagent.v1.VmAgentGrpc;

/**
 * The floors of {@link ApiLatency}: the vm-agent's calls the services make for each operation, over
 * gRPC with the services' certificates (session-service boots, workspace-service keeps disks).
 */
final class AgentCalls implements AutoCloseable {

    private final ManagedChannel sessions;
    private final ManagedChannel workspaces;
    private final VmAgentGrpc.VmAgentBlockingStub vms;
    private final DisksGrpc.DisksBlockingStub disks;

    AgentCalls(LocalInstall local) {
        this.sessions = local.agentChannel(InternalCallers.SESSION);
        this.workspaces = local.agentChannel(InternalCallers.WORKSPACE);
        this.vms = VmAgentGrpc.newBlockingStub(sessions);
        this.disks = DisksGrpc.newBlockingStub(workspaces);
    }

    String boot() {
        String id = UUID.randomUUID().toString();
        vm().boot(BootRequest.newBuilder().setSessionId(id).setSessionType("sandbox").build());
        return id;
    }

    void destroy(String id) {
        vm().destroy(DestroyRequest.newBuilder().setSessionId(id).build());
    }

    /** @return Boot's and Destroy's milliseconds */
    double[] bootThenDestroy() throws Exception {
        String[] id = new String[1];
        double boot = LocalInstall.time(() -> id[0] = boot());
        return new double[]{ boot, LocalInstall.time(() -> destroy(id[0])) };
    }

    double ephemeralExec() throws Exception {
        return LocalInstall.time(() -> {
            String id = boot();
            var answer = vm().exec(ExecRequest.newBuilder().setSessionId(id).setCommand("true").setTimeoutMs(60_000)
                    .setMaxOutputBytes(1 << 20).build());
            destroy(id);
            if (answer.getExitCode() != 0) {
                throw new IllegalStateException("true exited " + answer.getExitCode());
            }
        });
    }

    void createDisk(String id) {
        disk().createDisk(CreateDiskRequest.newBuilder().setDiskId(id).build());
    }

    void cloneDisk(String source, String id) {
        disk().cloneDisk(CloneDiskRequest.newBuilder().setSourceDiskId(source).setDiskId(id).build());
    }

    void deleteDisk(String id) {
        disk().deleteDisk(DiskRef.newBuilder().setDiskId(id).build());
    }

    void snapshot(String disk, String name) {
        disk().createSnapshot(SnapshotRef.newBuilder().setDiskId(disk).setName(name).build());
    }

    void restore(String disk, String name) {
        disk().restoreSnapshot(SnapshotRef.newBuilder().setDiskId(disk).setName(name).build());
    }

    void deleteSnapshot(String disk, String name) {
        disk().deleteSnapshot(SnapshotRef.newBuilder().setDiskId(disk).setName(name).build());
    }

    private VmAgentGrpc.VmAgentBlockingStub vm() {
        return vms.withDeadlineAfter(120, TimeUnit.SECONDS);
    }

    private DisksGrpc.DisksBlockingStub disk() {
        return disks.withDeadlineAfter(600, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        sessions.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        workspaces.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
