package sh.chaser.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import sh.chaser.agent.support.AgentTestProfile;
import sh.chaser.agent.support.SandboxHost;
import sh.chaser.agent.support.SandboxTest;
import sh.chaser.proto.vmagent.v1.Limits;
import sh.chaser.proto.vmagent.v1.VmState;

/** cgroup limits hold: a fork bomb and a memory hog hurt only their own sandbox. */
@QuarkusTest
@TestProfile(AgentTestProfile.class)
@SandboxHost
class SandboxLimitsTest extends SandboxTest {

    private static final String FORK_BOMB = """
            python3 -c '
            import os, time
            children = 0
            while True:
                try:
                    pid = os.fork()
                except OSError as e:
                    print("refused", children, e.errno, flush=True)
                    break
                if pid == 0:
                    time.sleep(600)
                    os._exit(0)
                children += 1
            '""";

    @Test
    void aForkBombStopsAtPidsMax() throws Exception {
        String bomb = boot(Limits.newBuilder().setMaxProcesses(40).build());
        String neighbour = boot(Limits.getDefaultInstance());

        var result = in(bomb, FORK_BOMB);
        String[] refused = result.output().strip().split(" ");
        assertThat(refused[0]).as(result.output()).isEqualTo("refused");
        assertThat(Integer.parseInt(refused[1])).isLessThan(40);
        assertThat(refused[2]).as("errno EAGAIN").isEqualTo("11");

        assertThat(in(neighbour, "echo fine").output()).isEqualTo("fine\n");
        assertThat(new ProcessBuilder("true").start().waitFor()).isZero();
        assertThat(agent.get(bomb).getState()).isEqualTo(VmState.VM_STATE_RUNNING);
    }

    @Test
    void aMemoryHogIsKilledInsideItsOwnCgroup() throws Exception {
        String hog = boot(Limits.newBuilder().setMemoryBytes(64L << 20).build());
        String neighbour = boot(Limits.getDefaultInstance());

        var result = in(hog, "python3 -c 'b = bytearray(256 * 1024 * 1024); print(\"survived\")'");
        assertThat(result.output()).doesNotContain("survived");
        assertThat(result.exit()).as("killed by SIGKILL").isEqualTo(137);
        assertThat(oomKills(hog)).isPositive();

        assertThat(agent.get(hog).getState()).as("its init lives on").isEqualTo(VmState.VM_STATE_RUNNING);
        assertThat(in(hog, "echo still here").output()).isEqualTo("still here\n");
        assertThat(in(neighbour, "python3 -c 'b = bytearray(128 * 1024 * 1024); print(\"ok\")'")
                .output()).isEqualTo("ok\n");
        assertThat(oomKills(neighbour)).isZero();
    }

    private static long oomKills(String id) throws Exception {
        String group = "chaser/" + AgentTestProfile.HOST_ID + "/" + id;
        Path v1 = Path.of("/sys/fs/cgroup/memory", group, "memory.oom_control");
        Path file = Files.exists(v1) ? v1 : Path.of("/sys/fs/cgroup", group, "memory.events");
        return Files.readAllLines(file).stream().filter(line -> line.startsWith("oom_kill "))
                .mapToLong(line -> Long.parseLong(line.substring(9).strip())).sum();
    }
}
