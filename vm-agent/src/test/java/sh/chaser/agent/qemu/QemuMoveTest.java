package sh.chaser.agent.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sh.chaser.agent.application.Sandboxes;
import sh.chaser.agent.commands.BackgroundCommand;
import sh.chaser.agent.commands.BackgroundCommands;
import sh.chaser.agent.domain.SessionEnvironment;
import sh.chaser.agent.support.AgentClient;
import sh.chaser.agent.support.QemuTestProfile;
import sh.chaser.agent.support.SandboxHost;
import sh.chaser.proto.vmagent.v1.ExecRequest;
import sh.chaser.proto.vmagent.v1.ImportPausedRequest;
import sh.chaser.proto.vmagent.v1.PauseRequest;
import sh.chaser.proto.vmagent.v1.PausedBlock;
import sh.chaser.proto.vmagent.v1.PausedFile;
import sh.chaser.proto.vmagent.v1.PausedSandbox;
import sh.chaser.proto.vmagent.v1.ReadPausedRequest;
import sh.chaser.proto.vmagent.v1.ResumeRequest;
import sh.chaser.proto.vmagent.v1.VmState;

/**
 * A paused QEMU microVM (TCG here) copied block by block through the agent's gRPC API, as
 * session-service moves one to another host, and taken in again under a second id (this test's one
 * agent stands for the other host: the copy gets a network slot of its own, as on another host). The
 * copy resumes from the same memory (the kernel's boot id, a value in RAM), disk and background
 * command (listed, its output there from offset 0, still running), on its own address and hostname.
 * Attacks: a copy with one byte of its memory changed is refused at its commit and nothing of it is
 * kept; a copy claiming other VM files (kernel, image) is refused at its begin.
 */
@QuarkusTest
@TestProfile(QemuTestProfile.class)
@SandboxHost
class QemuMoveTest {

    @TestHTTPResource("/")
    URL base;
    @Inject
    Sandboxes sandboxes;
    @Inject
    BackgroundCommands commands;
    @Inject
    @org.eclipse.microprofile.health.Readiness
    sh.chaser.agent.health.DefaultImageCheck prepared;

    @BeforeEach
    void prepared() {
        sh.chaser.agent.support.DefaultImageReady.await(prepared);
    }

    @Test
    void aPausedVmCopiedBlockByBlockResumesFromItsMemoryDiskAndCommandsOnASlotOfItsOwn() throws Exception {
        try (AgentClient agent = new AgentClient(base.getPort())) {
            String from = AgentClient.newSessionId();
            String copy = AgentClient.newSessionId();
            String tampered = AgentClient.newSessionId();
            agent.boot(from);
            try {
                String bootId = exec(agent, from, "cat /proc/sys/kernel/random/boot_id");
                exec(agent, from, "echo 41 > /tmp/value && echo d > /workspace/on-disk");
                BackgroundCommand command = commands.start(from, "echo line1; echo line2; exec sleep 4343", null,
                        Map.of());
                Awaitility.await("its output").atMost(Duration.ofSeconds(60))
                        .until(() -> command.output().size() >= "line1\nline2\n".length());
                agent.stub().pause(PauseRequest.newBuilder().setSessionId(from).build());

                PausedBlock first = agent.stub().readPaused(ReadPausedRequest.newBuilder().setSessionId(from)
                        .setFile(PausedFile.PAUSED_FILE_STATE).build());
                PausedSandbox sandbox = first.getSandbox();
                assertThat(sandbox.getCommandFilesList()).containsExactlyInAnyOrder(command.id() + ".json",
                        command.id() + ".out");
                List<PausedBlock> blocks = new ArrayList<>();
                for (PausedFile file : List.of(PausedFile.PAUSED_FILE_STATE, PausedFile.PAUSED_FILE_MEMORY,
                        PausedFile.PAUSED_FILE_DISK)) {
                    blocks.addAll(readAll(agent, from, file, ""));
                }
                for (String name : sandbox.getCommandFilesList()) {
                    blocks.addAll(readAll(agent, from, PausedFile.PAUSED_FILE_COMMAND, name));
                }

                var corrupt = catchThrowableOfType(() -> copyInto(agent, sandbox, tampered, blocks, true),
                        StatusRuntimeException.class);
                assertThat(AgentClient.code(corrupt)).as("one byte of its memory changed: %s", corrupt)
                        .isEqualTo("snapshot_corrupt");
                assertThat(sandboxes.get(tampered)).as("nothing of it kept").isEmpty();
                var otherFiles = catchThrowableOfType(() -> agent.stub().importPaused(begin(tampered, sandbox
                        .toBuilder().putResources("vm_files", "another kernel").build())),
                        StatusRuntimeException.class);
                assertThat(AgentClient.code(otherFiles)).isEqualTo("invalid_request");

                assertThat(copyInto(agent, sandbox, copy, blocks, false).getState()).as("positive control")
                        .isEqualTo(VmState.VM_STATE_PAUSED);
                var resumed = agent.stub().resume(ResumeRequest.newBuilder().setSessionId(copy).build());
                assertThat(resumed.getState()).isEqualTo(VmState.VM_STATE_RUNNING);
                assertThat(exec(agent, copy, "cat /proc/sys/kernel/random/boot_id")).as("its memory").isEqualTo(bootId);
                assertThat(exec(agent, copy, "cat /tmp/value; cat /workspace/on-disk")).isEqualTo("41\nd");
                assertThat(exec(agent, copy, "pgrep -x -f 'sleep 4343' >/dev/null && echo runs")).isEqualTo("runs");
                assertThat(exec(agent, copy, "hostname")).isEqualTo(SessionEnvironment.hostname(copy));
                String address = sandboxes.guest(copy).address().host();
                assertThat(sandboxes.get(copy).orElseThrow().handle().resource("net_slot"))
                        .isNotEqualTo(sandboxes.get(from).orElseThrow().handle().resource("net_slot"));
                assertThat(exec(agent, copy, "/.chaser/busybox ip -4 -o addr show eth0")).contains(" " + address + "/");
                BackgroundCommand moved = commands.get(copy, command.id());
                assertThat(moved.running()).isTrue();
                assertThat(new String(moved.output().read(0, 1 << 20, 0).get(0).data()))
                        .isEqualTo("line1\nline2\n");
            } finally {
                agent.destroy(copy);
                agent.destroy(tampered);
                agent.destroy(from);
            }
        }
    }

    private static List<PausedBlock> readAll(AgentClient agent, String id, PausedFile file, String name) {
        List<PausedBlock> blocks = new ArrayList<>();
        long offset = 0;
        while (true) {
            PausedBlock block = agent.stub().readPaused(ReadPausedRequest.newBuilder().setSessionId(id).setFile(file)
                    .setName(name).setOffset(offset).build()).toBuilder().clearSandbox().build();
            blocks.add(block);
            if (block.getEof()) {
                return blocks;
            }
            offset = block.getOffset() + block.getData().size();
        }
    }

    /** What session-service does on the other host: begin, every block, commit (the copy under {@code id}). */
    private static sh.chaser.proto.vmagent.v1.Vm copyInto(AgentClient agent, PausedSandbox sandbox, String id,
            List<PausedBlock> blocks, boolean tamper) {
        agent.stub().importPaused(begin(id, sandbox));
        boolean changed = false;
        for (PausedBlock block : blocks) {
            PausedBlock sent = block;
            if (tamper && !changed && block.getFile() == PausedFile.PAUSED_FILE_MEMORY && !block.getEof()) {
                byte[] data = block.getData().toByteArray();
                data[0] ^= 1;
                sent = block.toBuilder().setData(ByteString.copyFrom(data)).build();
                changed = true;
            }
            agent.stub().importPaused(ImportPausedRequest.newBuilder().setSessionId(id).setBlock(sent).build());
        }
        return agent.stub().importPaused(ImportPausedRequest.newBuilder().setSessionId(id).setCommit(true).build());
    }

    private static ImportPausedRequest begin(String id, PausedSandbox sandbox) {
        return ImportPausedRequest.newBuilder().setSessionId(id).setBegin(sandbox.toBuilder()
                .setBoot(sandbox.getBoot().toBuilder().setSessionId(id))).build();
    }

    private static String exec(AgentClient agent, String id, String command) {
        return agent.stub().exec(ExecRequest.newBuilder().setSessionId(id).setCommand(command).build()).getOutput()
                .toStringUtf8().strip();
    }
}
