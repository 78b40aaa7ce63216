package sh.chaser.agent.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sh.chaser.agent.application.SandboxesReconciled;
import sh.chaser.agent.commands.BackgroundCommand;
import sh.chaser.agent.commands.BackgroundCommands;
import sh.chaser.agent.config.AgentConfig;
import sh.chaser.agent.support.AgentClient;
import sh.chaser.agent.support.QemuTestProfile;
import sh.chaser.agent.support.SandboxHost;
import sh.chaser.proto.vmagent.v1.BootRequest;
import sh.chaser.proto.vmagent.v1.ExecRequest;
import sh.chaser.proto.vmagent.v1.Limits;
import sh.chaser.proto.vmagent.v1.PauseRequest;
import sh.chaser.proto.vmagent.v1.ResumeRequest;
import sh.chaser.proto.vmagent.v1.VmState;

/**
 * Pause and resume of a real QEMU microVM (TCG here) through the agent's gRPC API: a shell loop
 * counting in memory, printing each number and appending it to a file in the workspace, paused and
 * resumed three times. Nothing of the VM runs while it is paused; afterwards the numbers it
 * printed, and those in the file, are 1..n with no gap and nothing twice. What a reconcile pass
 * listed before or during a pause (it lists without the sandboxes' locks) neither forgets the paused
 * sandbox's commands (CI, stop 48: a kill after ten pauses found no command; this test failed so
 * before the fix) nor copies their output from the stopped guest (three refused calls end a command;
 * here a call to a paused VM's address waits instead, so that probe did not fail before the fix). A
 * tampered saved state is
 * refused, and the namespace runtime refuses to pause.
 */
@QuarkusTest
@TestProfile(QemuTestProfile.class)
@SandboxHost
class QemuPauseTest {

    @TestHTTPResource("/")
    URL base;
    @Inject
    BackgroundCommands commands;
    @Inject
    sh.chaser.agent.application.Sandboxes sandboxes;
    @Inject
    AgentConfig config;
    @Inject
    jakarta.enterprise.event.Event<SandboxesReconciled> reconciled;
    @Inject
    @org.eclipse.microprofile.health.Readiness
    sh.chaser.agent.health.DefaultImageCheck prepared;

    @BeforeEach
    void prepared() {
        sh.chaser.agent.support.DefaultImageReady.await(prepared);
    }

    @Test
    void aPausedVmRunsOnWhereItStoppedWithItsOutputAndFiles() throws Exception {
        try (AgentClient agent = new AgentClient(base.getPort())) {
            String id = AgentClient.newSessionId();
            var vm = agent.boot(id, Limits.getDefaultInstance(), java.util.UUID.randomUUID().toString());
            try {
                BackgroundCommand counter = commands.start(id,
                        "i=0; while :; do i=$((i+1)); echo $i; echo $i >> /workspace/counted; sleep 0.1; done", null,
                        Map.of());
                var process = sandboxes.get(id).orElseThrow().handle();
                for (int round = 0; round < 3; round++) {
                    long before = counter.output().size();
                    Awaitility.await("the counter counts").atMost(Duration.ofSeconds(60))
                            .until(() -> counter.output().size() > before + 20);
                    var paused = agent.stub().pause(PauseRequest.newBuilder().setSessionId(id).build());
                    assertThat(paused.getState()).isEqualTo(VmState.VM_STATE_PAUSED);
                    assertThat(agent.get(id).getState()).isEqualTo(VmState.VM_STATE_PAUSED);
                    // nothing of it runs: the VM's process is gone, its output stands still
                    assertThat(process.pid()).isPositive();
                    assertThat(sh.chaser.agent.host.ProcessTable.alive(process.pid(), process.startTicks())).isFalse();
                    long still = counter.output().size();
                    // what a reconcile pass listed just before the pause (running) and while it paused (neither)
                    reconciled.fire(new SandboxesReconciled(java.util.Set.of(id), java.util.Set.of()));
                    reconciled.fire(new SandboxesReconciled(java.util.Set.of(), java.util.Set.of()));
                    assertThat(commands.get(id, counter.id())).as("still listed").isSameAs(counter);
                    Thread.sleep(1500);
                    assertThat(counter.output().size()).isEqualTo(still);
                    assertThat(counter.running()).as("a paused command has not ended").isTrue();
                    var refused = catchThrowableOfType(() -> agent.stub().exec(ExecRequest.newBuilder()
                            .setSessionId(id).setCommand("true").build()), StatusRuntimeException.class);
                    assertThat(AgentClient.code(refused)).isEqualTo("sandbox_not_running");
                    // a second pause changes nothing
                    assertThat(agent.stub().pause(PauseRequest.newBuilder().setSessionId(id).build()).getState())
                            .isEqualTo(VmState.VM_STATE_PAUSED);

                    var resumed = agent.stub().resume(ResumeRequest.newBuilder().setSessionId(id).build());
                    assertThat(resumed.getState()).isEqualTo(VmState.VM_STATE_RUNNING);
                    process = sandboxes.get(id).orElseThrow().handle();
                    Awaitility.await("the counter counts on").atMost(Duration.ofSeconds(60))
                            .until(() -> counter.output().size() > still + 20);
                }
                commands.kill(counter, "KILL");
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> !counter.running());
                String printed = new String(readAll(counter), StandardCharsets.UTF_8);
                String counted = agent.stub().exec(ExecRequest.newBuilder().setSessionId(id)
                        .setCommand("cat /workspace/counted").build()).getOutput().toStringUtf8();
                assertConsecutive(printed);
                assertConsecutive(counted);
                assertThat(counted.split("\n").length).as("three rounds of counting").isGreaterThan(20);
                // the guest's disk was thawed: it writes
                assertThat(agent.stub().exec(ExecRequest.newBuilder().setSessionId(id)
                        .setCommand("echo w > /workspace/after && cat /workspace/after").build()).getOutput()
                        .toStringUtf8()).isEqualTo("w\n");
            } finally {
                agent.destroy(id);
            }
            assertThat(vm.getRuntime()).isEqualTo("qemu");
        }
    }

    @Test
    void aSavedStateThatChangedIsRefusedAndNothingStarts() throws Exception {
        try (AgentClient agent = new AgentClient(base.getPort())) {
            String id = AgentClient.newSessionId();
            agent.boot(id, Limits.getDefaultInstance(), java.util.UUID.randomUUID().toString());
            try {
                agent.stub().pause(PauseRequest.newBuilder().setSessionId(id).build());
                Path state = Path.of(config.dataDir(), "disk-store", ".vm-paused", id, "state");
                byte[] saved = Files.readAllBytes(state);
                byte[] tampered = saved.clone();
                tampered[tampered.length / 2] ^= 1;
                Files.write(state, tampered);
                var refused = catchThrowableOfType(
                        () -> agent.stub().resume(ResumeRequest.newBuilder().setSessionId(id).build()),
                        StatusRuntimeException.class);
                assertThat(AgentClient.code(refused)).isEqualTo("snapshot_corrupt");
                assertThat(agent.get(id).getState()).isEqualTo(VmState.VM_STATE_PAUSED);
                // positive control: the state as saved resumes
                Files.write(state, saved);
                assertThat(agent.stub().resume(ResumeRequest.newBuilder().setSessionId(id).build()).getState())
                        .isEqualTo(VmState.VM_STATE_RUNNING);
                assertThat(agent.stub().exec(ExecRequest.newBuilder().setSessionId(id).setCommand("echo up")
                        .build()).getOutput().toStringUtf8()).isEqualTo("up\n");
            } finally {
                agent.destroy(id);
            }
            assertThat(Files.exists(Path.of(config.dataDir(), "disk-store", ".vm-memory", id + ".raw")))
                    .as("a destroyed VM's memory file goes with it").isFalse();
        }
    }

    @Test
    void theNamespaceRuntimeRefusesToPause() throws Exception {
        try (AgentClient agent = new AgentClient(base.getPort())) {
            String id = AgentClient.newSessionId();
            agent.stub().boot(BootRequest.newBuilder().setSessionId(id).setSessionType("sandbox")
                    .setRuntime("namespace").build());
            try {
                var refused = catchThrowableOfType(
                        () -> agent.stub().pause(PauseRequest.newBuilder().setSessionId(id).build()),
                        StatusRuntimeException.class);
                assertThat(AgentClient.code(refused)).isEqualTo("unsupported_runtime");
                assertThat(agent.get(id).getState()).as("it runs on").isEqualTo(VmState.VM_STATE_RUNNING);
            } finally {
                agent.destroy(id);
            }
        }
    }

    private static byte[] readAll(BackgroundCommand command) throws Exception {
        var out = new java.io.ByteArrayOutputStream();
        long offset = 0;
        while (true) {
            var chunks = command.output().read(offset, 1 << 20, 0);
            if (chunks.isEmpty()) {
                return out.toByteArray();
            }
            for (var chunk : chunks) {
                out.writeBytes(chunk.data());
                offset = chunk.end();
            }
        }
    }

    private static void assertConsecutive(String lines) {
        String[] numbers = lines.strip().split("\n");
        for (int i = 0; i < numbers.length; i++) {
            assertThat(numbers[i]).as("line %d of %d", i + 1, numbers.length).isEqualTo(Integer.toString(i + 1));
        }
    }
}
