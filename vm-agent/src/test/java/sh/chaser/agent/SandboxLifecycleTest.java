package sh.chaser.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sh.chaser.agent.application.Sandboxes;
import sh.chaser.agent.support.AgentClient;
import sh.chaser.agent.support.AgentTestProfile;
import sh.chaser.agent.support.HostTraces;
import sh.chaser.agent.support.Inside;
import sh.chaser.agent.support.SandboxHost;
import sh.chaser.proto.vmagent.v1.BootRequest;
import sh.chaser.proto.vmagent.v1.Limits;
import sh.chaser.proto.vmagent.v1.VmState;

/** Boot, Get, List and Destroy through the agent's gRPC API, with real namespaces underneath. */
@QuarkusTest
@TestProfile(AgentTestProfile.class)
@SandboxHost
class SandboxLifecycleTest {

    @TestHTTPResource("/")
    URL base;
    @Inject
    Sandboxes sandboxes;
    AgentClient agent;

    @BeforeEach
    void connect() {
        agent = new AgentClient(base.getPort());
    }

    @AfterEach
    void close() throws InterruptedException {
        agent.close();
    }

    @Test
    void aDestroyedSandboxIsGoneWhateverReasonTheCallerGives() {
        // hosts keep no memory of why: workspace-service owns evictions and their reasons
        String id = AgentClient.newSessionId();
        agent.boot(id);
        assertThat(agent.stub().destroy(sh.chaser.proto.vmagent.v1.DestroyRequest.newBuilder().setSessionId(id)
                .setReason("snapshot_restore").build()).getExisted()).isTrue();
        assertThatThrownBy(() -> agent.get(id)).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        assertThat(agent.list()).noneSatisfy(vm -> assertThat(vm.getSessionId()).isEqualTo(id));
        assertThat(agent.destroy(id)).isFalse();
    }

    @Test
    void bootRunsAnIsolatedSandboxAndDestroyLeavesNothingBehind() {
        String id = AgentClient.newSessionId();
        var vm = agent.boot(id);
        assertThat(vm.getState()).isEqualTo(VmState.VM_STATE_RUNNING);
        assertThat(vm.getRuntime()).isEqualTo("namespace");
        assertThat(vm.getHostId()).isEqualTo(AgentTestProfile.HOST_ID);
        assertThat(vm.getStartedAt()).isNotEmpty();
        assertThat(agent.list()).anySatisfy(listed -> {
            assertThat(listed.getSessionId()).isEqualTo(id);
            assertThat(listed.getState()).isEqualTo(VmState.VM_STATE_RUNNING);
        });

        var inside = Inside.run(sandboxes, id, "hostname; id -u; echo $GREETING; pwd; ls /");
        assertThat(inside.exit()).isZero();
        assertThat(inside.output().lines()).startsWith("sbx-" + id.substring(0, 8), "1000", "hello", "/workspace");

        var traces = HostTraces.of(sandboxes, id);
        traces.assertPresent();
        assertThat(agent.destroy(id)).isTrue();
        // answered: nothing of it runs, and it is gone for every caller; its host resources follow
        traces.assertStopped();
        assertThatThrownBy(() -> agent.get(id)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
            assertThat(AgentClient.code(e)).isEqualTo("sandbox_not_found");
        });
        assertThat(agent.list()).noneMatch(listed -> listed.getSessionId().equals(id));
        assertThat(agent.destroy(id)).isFalse();
        traces.awaitGone();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                .until(() -> sandboxes.pendingTeardowns() == 0);
    }

    @Test
    void aDiskCheckRightAfterDestroyWaitsForTheRelease() {
        // Destroy answers before the release; a disk operation right after it waits for the release
        String workspace = "ws-" + AgentClient.newSessionId();
        String id = AgentClient.newSessionId();
        agent.boot(id, Limits.getDefaultInstance(), workspace);
        var traces = HostTraces.of(sandboxes, id);
        assertThat(agent.destroy(id)).isTrue();
        assertThat(sandboxes.usingDisk(workspace)).isEmpty();
        traces.assertGone();
    }

    @Test
    void theDefaultImageIsDebianWithTheUsualTools() {
        String id = AgentClient.newSessionId();
        agent.boot(id);
        var result = Inside.run(sandboxes, id, ". /etc/os-release; echo $ID $VERSION_CODENAME; "
                + "for tool in bash git curl python3 node ls; do command -v $tool; done; node -e 'console.log(6*7)'");
        assertThat(result.output().lines()).containsExactly("debian bookworm", "/usr/bin/bash", "/usr/bin/git",
                "/usr/bin/curl", "/usr/bin/python3", "/usr/bin/node", "/usr/bin/ls", "42");
        agent.destroy(id);
    }

    @Test
    void aSandboxCanBeEnteredTheMomentBootReturns() {
        // Boot must not answer before the user namespace's maps are written and the root is the image's
        for (int i = 0; i < 20; i++) {
            String id = AgentClient.newSessionId();
            agent.boot(id);
            var result = Inside.run(sandboxes, id, "id -u; . /etc/os-release; echo $ID");
            assertThat(result.output()).as("attempt %d", i).isEqualTo("1000\ndebian\n");
            agent.destroy(id);
        }
    }

    @Test
    void theInitReapsOrphans() {
        String id = AgentClient.newSessionId();
        agent.boot(id);
        // the subshell exits at once: its sleep becomes an orphan of PID 1, which must reap it
        var result = Inside.run(sandboxes, id, "(sleep 0.2 &); sleep 1; ps -eo stat= | grep -c '^Z' || true");
        assertThat(result.output().strip()).as("zombies left").isEqualTo("0");
        agent.destroy(id);
    }

    @Test
    void bootAndDestroyAreIdempotentBySessionId() {
        String id = AgentClient.newSessionId();
        var first = agent.boot(id);
        var again = agent.boot(id);
        assertThat(again.getStartedAt()).isEqualTo(first.getStartedAt());
        assertThat(agent.list().stream().filter(vm -> vm.getSessionId().equals(id))).hasSize(1);
        assertThat(agent.destroy(id)).isTrue();
        assertThat(agent.destroy(id)).isFalse();
    }

    @Test
    void aWorkspaceDiskOutlivesItsSandbox() {
        String workspace = "ws-" + AgentClient.newSessionId();
        String first = AgentClient.newSessionId();
        agent.boot(first, Limits.getDefaultInstance(), workspace);
        assertThat(Inside.run(sandboxes, first, "echo kept > /workspace/note.txt").exit()).isZero();
        agent.destroy(first);

        String second = AgentClient.newSessionId();
        agent.boot(second, Limits.getDefaultInstance(), workspace);
        assertThat(Inside.run(sandboxes, second, "cat /workspace/note.txt").output()).isEqualTo("kept\n");
        agent.destroy(second);
    }

    /**
     * Disk fencing: whoever asks (a session-service that believed the first gone, a replay), the
     * agent that owns a workspace's disk never attaches it to a second sandbox while one runs.
     */
    @Test
    void aWorkspaceDiskIsNeverAttachedToTwoSandboxes() {
        String workspace = "ws-" + AgentClient.newSessionId();
        String first = AgentClient.newSessionId();
        agent.boot(first, Limits.getDefaultInstance(), workspace);
        assertThat(Inside.run(sandboxes, first, "echo first > /workspace/owner").exit()).isZero();

        String second = AgentClient.newSessionId();
        assertThatThrownBy(() -> agent.boot(second, Limits.getDefaultInstance(), workspace))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    assertThat(AgentClient.code(e)).isEqualTo("disk_in_use");
                    assertThat(e.getStatus().getDescription()).contains(first);
                });
        assertThat(agent.list()).noneSatisfy(vm -> assertThat(vm.getSessionId()).isEqualTo(second));
        assertThat(agent.get(first).getState()).isEqualTo(VmState.VM_STATE_RUNNING);

        // the control: once the first is gone, the same boot attaches the disk, with what it held
        agent.destroy(first);
        agent.boot(second, Limits.getDefaultInstance(), workspace);
        assertThat(Inside.run(sandboxes, second, "cat /workspace/owner").output()).isEqualTo("first\n");
        agent.destroy(second);
    }

    @Test
    void aSandboxWhoseInitDiesIsReportedStoppedAndReleased() {
        String id = AgentClient.newSessionId();
        agent.boot(id);
        var traces = HostTraces.of(sandboxes, id);
        sh.chaser.agent.host.ProcessTable.kill(sandboxes.get(id).orElseThrow().handle().pid());
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                .until(() -> agent.get(id).getState() == VmState.VM_STATE_STOPPED);
        assertThat(agent.get(id).getExitReason()).isEqualTo("vm_exited");
        traces.awaitGone();
        assertThat(agent.destroy(id)).isTrue();
    }

    @Test
    void badRequestsAreRefusedWithACodeAndChangeNothing() {
        int before = agent.list().size();
        assertThatThrownBy(() -> agent.boot("not-a-uuid")).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(AgentClient.code(e)).isEqualTo("invalid_request");
        });
        String id = AgentClient.newSessionId();
        assertThatThrownBy(() -> agent.stub().boot(BootRequest.newBuilder().setSessionId(id).setSessionType("sandbox")
                .setImage("Not An Image!").build())).isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(AgentClient.code(e)).isEqualTo("invalid_request"));
        assertThatThrownBy(() -> agent.stub().boot(BootRequest.newBuilder().setSessionId(id).setSessionType("desktop")
                .build())).isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(AgentClient.code(e)).isEqualTo("invalid_request"));
        assertThatThrownBy(() -> agent.boot(id, Limits.newBuilder().setMemoryBytes(1024).build(), ""))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(AgentClient.code(e)).isEqualTo("invalid_request"));
        assertThat(agent.list()).hasSize(before);
        assertThat(Files.exists(Path.of("target/agent-test-data/sandboxes", id))).isFalse();
    }
}
