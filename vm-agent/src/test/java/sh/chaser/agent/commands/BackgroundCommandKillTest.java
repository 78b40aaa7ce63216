package sh.chaser.agent.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import sh.chaser.agent.support.AgentClient;
import sh.chaser.agent.support.AgentTestProfile;
import sh.chaser.agent.support.SandboxHost;
import sh.chaser.proto.vmagent.v1.ExecRequest;

/**
 * A signal to a background command reaches every process of it, also one its shell forks while the
 * signal is on its way (one by one, such a child escaped, kept the output open and the command
 * never ended), and the command ends with its own status, not runc's.
 */
@QuarkusTest
@TestProfile(AgentTestProfile.class)
@SandboxHost
class BackgroundCommandKillTest {

    @TestHTTPResource("/")
    URL base;
    @Inject
    BackgroundCommands commands;

    @Test
    void termEndsTheWholeCommandWith143EvenRightAfterItStarted() throws Exception {
        try (AgentClient agent = new AgentClient(base.getPort())) {
            String id = AgentClient.newSessionId();
            agent.boot(id);
            try {
                for (int round = 0; round < 8; round++) {
                    BackgroundCommand command = commands.start(id, "sleep 301 & sleep 302", null, Map.of());
                    if (round % 2 == 1) {
                        // positive control: both sleeps were there to be killed
                        Awaitility.await("both sleeps run").atMost(Duration.ofSeconds(20))
                                .until(() -> sleeps(agent, id) == 2);
                    }
                    commands.kill(command, "TERM");
                    try {
                        Awaitility.await("the killed command ends, round " + round).atMost(Duration.ofSeconds(20))
                                .until(() -> !command.running());
                    } catch (RuntimeException e) {
                        throw new AssertionError("the command did not end after TERM (round " + round + "); inside:\n"
                                + agent.stub().exec(ExecRequest.newBuilder().setSessionId(id)
                                        .setCommand("ps -eo pid,ppid,pgid,sid,args").build()).getOutput()
                                        .toStringUtf8(),
                                e);
                    }
                    assertThat(command.exitCode()).as("round %d", round).isEqualTo(128 + 15);
                    assertThat(sleeps(agent, id)).as("sleeps left after round %d", round).isZero();
                }
            } finally {
                agent.destroy(id);
            }
        }
    }

    private static int sleeps(AgentClient agent, String id) {
        var ps = agent.stub().exec(ExecRequest.newBuilder().setSessionId(id)
                .setCommand("pgrep -c -x -f 'sleep 30[12]' || true").build());
        return Integer.parseInt(ps.getOutput().toStringUtf8().trim());
    }
}
