package sh.chaser.agent.grpc;

import sh.chaser.agent.domain.SandboxRecord;
import sh.chaser.proto.vmagent.v1.Limits;
import sh.chaser.proto.vmagent.v1.Vm;
import sh.chaser.proto.vmagent.v1.VmState;

final class VmMapper {

    private VmMapper() {}

    static Vm toVm(SandboxRecord record, String hostId) {
        return toVm(record, hostId, 0);
    }

    /** @param idleSeconds what {@link sh.chaser.agent.application.SandboxActivity} says of it */
    static Vm toVm(SandboxRecord record, String hostId, long idleSeconds) {
        var spec = record.spec();
        return Vm.newBuilder()
                .setSessionId(record.sessionId())
                .setSessionType(spec.sessionType())
                .setState(switch (record.status()) {
                    case BOOTING -> VmState.VM_STATE_BOOTING;
                    case RUNNING -> VmState.VM_STATE_RUNNING;
                    case PAUSED -> VmState.VM_STATE_PAUSED;
                    case STOPPED -> VmState.VM_STATE_STOPPED;
                    case FAILED -> VmState.VM_STATE_FAILED;
                })
                .setRuntime(record.runtime())
                .setHostId(hostId)
                .setStartedAt(record.startedAt() == null ? "" : record.startedAt().toString())
                .setExitReason(record.exitReason() == null ? "" : record.exitReason())
                .setImage(spec.image())
                .setWorkspaceId(spec.workspaceId())
                .setLimits(Limits.newBuilder().setVcpus(spec.limits().vcpus())
                        .setMemoryBytes(spec.limits().memoryBytes()).setMaxProcesses(spec.limits().maxProcesses()))
                .setIdleSeconds(idleSeconds)
                .build();
    }
}
