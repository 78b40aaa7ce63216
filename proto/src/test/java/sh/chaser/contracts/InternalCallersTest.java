package sh.chaser.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import sh.chaser.proto.account.v1.AccountAuthGrpc;
import sh.chaser.proto.session.v1.HostRegistryGrpc;
import sh.chaser.proto.session.v1.SessionLeasesGrpc;
import sh.chaser.proto.session.v1.SessionLocatorGrpc;
import sh.chaser.proto.vmagent.v1.DisksGrpc;
import sh.chaser.proto.vmagent.v1.VmAgentGrpc;
import sh.chaser.proto.workspace.v1.WorkspaceLockGrpc;

class InternalCallersTest {

    @Test
    void everyMethodOfEveryInternalServiceHasCallers() {
        List.of(VmAgentGrpc.getServiceDescriptor(), DisksGrpc.getServiceDescriptor(),
                HostRegistryGrpc.getServiceDescriptor(), SessionLocatorGrpc.getServiceDescriptor(),
                SessionLeasesGrpc.getServiceDescriptor(), WorkspaceLockGrpc.getServiceDescriptor(),
                AccountAuthGrpc.getServiceDescriptor(),
                sh.chaser.proto.account.v1.IdempotencyRecordsGrpc.getServiceDescriptor())
                .forEach(service -> service.getMethods().forEach(method -> assertThat(
                        List.of(InternalCallers.GATEWAY, InternalCallers.SESSION, InternalCallers.WORKSPACE,
                                InternalCallers.ACCOUNT, "vm-agent/h1").stream()
                                .anyMatch(identity -> InternalCallers.allowed(method.getFullMethodName(), identity)))
                        .as(method.getFullMethodName()).isTrue()));
    }

    @Test
    void methodsListTheirCallersAndNothingElse() {
        assertThat(InternalCallers.allowed("chaser.vmagent.v1.VmAgent/Boot", "session-service")).isTrue();
        assertThat(InternalCallers.allowed("chaser.vmagent.v1.VmAgent/Boot", "workspace-service")).isFalse();
        assertThat(InternalCallers.allowed("chaser.vmagent.v1.VmAgent/Destroy", "workspace-service")).isTrue();
        assertThat(InternalCallers.allowed("chaser.vmagent.v1.Disks/DeleteDisk", "session-service")).isFalse();
        assertThat(InternalCallers.allowed("chaser.session.v1.HostRegistry/RegisterHost", "vm-agent/h1")).isTrue();
        assertThat(InternalCallers.allowed("chaser.session.v1.HostRegistry/RegisterHost", "api-gateway")).isFalse();
        assertThat(InternalCallers.allowed("chaser.unknown.v1.Thing/Do", "api-gateway")).isFalse();
        assertThat(InternalCallers.allowed("grpc.health.v1.Health/Check", "api-gateway")).isTrue();
    }

    @Test
    void anAgentsIdentityNamesItsHost() {
        assertThat(InternalCallers.hostId("vm-agent/node-7")).contains("node-7");
        assertThat(InternalCallers.hostId("vm-agent")).isEmpty();
        assertThat(InternalCallers.hostId("session-service/x")).isEmpty();
        assertThat(InternalCallers.kind("vm-agent/node-7")).isEqualTo("vm-agent");
    }
}
