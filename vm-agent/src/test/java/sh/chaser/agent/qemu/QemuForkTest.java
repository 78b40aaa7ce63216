package sh.chaser.agent.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sh.chaser.agent.application.Sandboxes;
import sh.chaser.agent.commands.BackgroundCommands;
import sh.chaser.agent.config.AgentConfig;
import sh.chaser.agent.domain.SessionEnvironment;
import sh.chaser.agent.support.AgentClient;
import sh.chaser.agent.support.QemuTestProfile;
import sh.chaser.agent.support.SandboxHost;
import sh.chaser.proto.vmagent.v1.ExecRequest;
import sh.chaser.proto.vmagent.v1.ForkChild;
import sh.chaser.proto.vmagent.v1.ForkRequest;
import sh.chaser.proto.vmagent.v1.Limits;
import sh.chaser.proto.vmagent.v1.VmState;

/**
 * A fork of a real QEMU microVM (TCG here) through the agent's gRPC API: a running VM with a value
 * in its RAM (/tmp is a tmpfs), a process running and a file on its workspace is forked into two.
 * Each child runs from the parent's memory (the same kernel boot id, the value, the process), on its
 * own address with its own token and hostname (told over the control port: its guest started with
 * the parent's), with random numbers of its own, and a disk of its own (a write in one is seen in no
 * other). The parent runs on where it was. The tenant cannot open the control port.
 */
@QuarkusTest
@TestProfile(QemuTestProfile.class)
@SandboxHost
class QemuForkTest {

    @TestHTTPResource("/")
    URL base;
    @Inject
    Sandboxes sandboxes;
    @Inject
    BackgroundCommands commands;
    @Inject
    AgentConfig config;
    @Inject
    sh.chaser.agent.disk.DiskStore disks;
    @Inject
    @org.eclipse.microprofile.health.Readiness
    sh.chaser.agent.health.DefaultImageCheck prepared;

    @BeforeEach
    void prepared() {
        sh.chaser.agent.support.DefaultImageReady.await(prepared);
    }

    @Test
    void aForkedVmRunsFromItsParentsMemoryOnAnIdentityAndDiskOfItsOwn() throws Exception {
        try (AgentClient agent = new AgentClient(base.getPort())) {
            String parent = AgentClient.newSessionId();
            String a = AgentClient.newSessionId();
            String b = AgentClient.newSessionId();
            String workspaceA = "fork-" + UUID.randomUUID();
            String workspace = "parent-" + UUID.randomUUID();
            agent.boot(parent, Limits.getDefaultInstance(), workspace);
            try {
                String bootId = exec(agent, parent, "cat /proc/sys/kernel/random/boot_id");
                exec(agent, parent, "echo 41 > /tmp/value && echo p > /workspace/from-parent");
                commands.start(parent, "exec sleep 4242", null, Map.of());
                String parentSlot = sandboxes.running(parent).handle().resource("net_slot");

                var forked = agent.stub().fork(ForkRequest.newBuilder().setSessionId(parent)
                        .addChildren(ForkChild.newBuilder().setSessionId(a).setWorkspaceId(workspaceA))
                        .addChildren(ForkChild.newBuilder().setSessionId(b)).build());
                assertThat(forked.getVmsList()).extracting(v -> v.getSessionId()).containsExactly(a, b);
                assertThat(forked.getVmsList()).allMatch(v -> v.getState() == VmState.VM_STATE_RUNNING);
                assertThat(agent.get(parent).getState()).as("the parent runs on").isEqualTo(VmState.VM_STATE_RUNNING);

                for (String child : List.of(a, b)) {
                    assertThat(exec(agent, child, "cat /proc/sys/kernel/random/boot_id")).as("same boot: its memory")
                            .isEqualTo(bootId);
                    assertThat(exec(agent, child, "cat /tmp/value")).isEqualTo("41");
                    assertThat(exec(agent, child, "pgrep -x -f 'sleep 4242' >/dev/null && echo runs"))
                            .isEqualTo("runs");
                    assertThat(exec(agent, child, "cat /workspace/from-parent")).isEqualTo("p");
                    assertThat(exec(agent, child, "hostname")).isEqualTo(SessionEnvironment.hostname(child));
                    String address = sandboxes.guest(child).address().host();
                    assertThat(exec(agent, child, "/.chaser/busybox ip -4 -o addr show eth0"))
                            .contains(" " + address + "/")
                            .doesNotContain(" " + sandboxes.guest(parent).address().host() + "/");
                    assertThat(sandboxes.running(child).handle().resource("net_slot")).isNotEqualTo(parentSlot);
                }
                assertThat(exec(agent, a, "head -c 16 /dev/urandom | od -An -tx1"))
                        .as("each fork draws random numbers of its own")
                        .isNotEqualTo(exec(agent, b, "head -c 16 /dev/urandom | od -An -tx1"));
                exec(agent, a, "echo a > /workspace/only-a");
                for (String other : List.of(parent, b)) {
                    assertThat(exec(agent, other, "cat /workspace/only-a 2>/dev/null || echo absent"))
                            .isEqualTo("absent");
                }
                // the port exists (positive control) and the sandbox's user cannot open it
                String port = exec(agent, a, "grep -l '^sh.chaser.ctl$' /sys/class/virtio-ports/*/name");
                assertThat(port).as("the control port, named").matches("/sys/class/virtio-ports/vport\\d+p\\d+/name");
                String device = "/dev/" + port.split("/")[4];
                assertThat(exec(agent, a, "test -c " + device + " && echo there")).isEqualTo("there");
                assertThat(exec(agent, a, "cat " + device + " 2>&1; echo $?")).contains("Permission denied");
                assertThat(exec(agent, parent, "cat /tmp/value; hostname")).isEqualTo("41\n"
                        + SessionEnvironment.hostname(parent));

                var again = catchThrowableOfType(() -> agent.stub().fork(ForkRequest.newBuilder().setSessionId(parent)
                        .addChildren(ForkChild.newBuilder().setSessionId(a)).build()), StatusRuntimeException.class);
                assertThat(AgentClient.code(again)).as("a child id taken").isEqualTo("invalid_request");
                var none = catchThrowableOfType(() -> agent.stub().fork(ForkRequest.newBuilder().setSessionId(parent)
                        .build()), StatusRuntimeException.class);
                assertThat(AgentClient.code(none)).isEqualTo("invalid_request");
                assertThat(agent.get(parent).getState()).isEqualTo(VmState.VM_STATE_RUNNING);
            } finally {
                agent.destroy(a);
                agent.destroy(b);
                agent.destroy(parent);
            }
            for (String disk : List.of(workspace, workspaceA)) {
                Awaitility.await("disk " + disk + " released").atMost(Duration.ofSeconds(60))
                        .until(() -> sandboxes.usingDisk(disk).isEmpty());
                disks.delete(disk);
            }
            for (String id : List.of(parent, a, b)) {
                Path memory = Path.of(config.dataDir(), "disk-store", ".vm-memory", id + ".raw");
                Awaitility.await("the memory file of " + id + " goes").atMost(Duration.ofSeconds(60))
                        .until(() -> !Files.exists(memory));
            }
        }
    }

    private static String exec(AgentClient agent, String id, String command) {
        var result = agent.stub().exec(ExecRequest.newBuilder().setSessionId(id).setCommand(command).build());
        return result.getOutput().toStringUtf8().strip();
    }
}
