package sh.chaser.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sh.chaser.agent.support.AgentClient;
import sh.chaser.agent.support.AgentTestProfile;
import sh.chaser.agent.support.SandboxHost;
import sh.chaser.proto.vmagent.v1.ExecRequest;
import sh.chaser.proto.vmagent.v1.ExecResponse;

/** Foreground commands in a real sandbox through the agent's Exec: output, exit, cwd, env, deadline, cap. */
@QuarkusTest
@TestProfile(AgentTestProfile.class)
@SandboxHost
class ExecTest {

    @TestHTTPResource("/")
    URL base;
    AgentClient agent;

    @BeforeEach
    void connect() {
        agent = new AgentClient(base.getPort());
    }

    @AfterEach
    void close() throws InterruptedException {
        agent.close();
    }

    private ExecResponse exec(ExecRequest.Builder request) {
        return agent.stub().exec(request.build());
    }

    @Test
    void runsInsideTheSandboxAsItsUserWithCwdEnvDeadlineAndCap() {
        String id = AgentClient.newSessionId();
        agent.boot(id);
        try {
            var r = exec(ExecRequest.newBuilder().setSessionId(id)
                    .setCommand("id -u; hostname; pwd; echo $X; echo e >&2; exit 5")
                    .setCwd("/tmp").putEnv("X", "from-env"));
            assertThat(r.getExitCode()).isEqualTo(5);
            assertThat(r.getOutput().toString(StandardCharsets.UTF_8))
                    .isEqualTo("1000\nsbx-" + id.substring(0, 8) + "\n/tmp\nfrom-env\ne\n");

            // a command that ends normally leaves its background children running (the answer does not wait for them)
            var quick = exec(
                    ExecRequest.newBuilder().setSessionId(id).setCommand("sleep 77 >/dev/null 2>&1 & echo left"));
            assertThat(quick.getOutput().toStringUtf8()).isEqualTo("left\n");
            var slow = exec(ExecRequest.newBuilder().setSessionId(id).setCommand("echo begun; sleep 30 & sleep 30")
                    .setTimeoutMs(300));
            assertThat(slow.getTimedOut()).isTrue();
            assertThat(slow.getOutput().toStringUtf8()).isEqualTo("begun\n");
            // the deadline took the whole process group, background children included; the earlier
            // command's child is still there (positive control: the probe sees sleeps)
            var left = exec(ExecRequest.newBuilder().setSessionId(id).setCommand("pgrep -a -x sleep || true"));
            assertThat(left.getOutput().toStringUtf8()).matches("\\d+ sleep 77\n");

            var big = exec(ExecRequest.newBuilder().setSessionId(id).setCommand("head -c 3000000 /dev/zero")
                    .setMaxOutputBytes(1000));
            assertThat(big.getOutputTruncated()).isTrue();
            assertThat(big.getOutput().size()).isEqualTo(1000);
            assertThat(big.getExitCode()).isZero();

            var badCwd = exec(ExecRequest.newBuilder().setSessionId(id).setCommand("true").setCwd("/no/such/dir"));
            assertThat(badCwd.getExitCode()).isEqualTo(126);
        } finally {
            agent.destroy(id);
        }
        assertThatThrownBy(() -> exec(ExecRequest.newBuilder().setSessionId(id).setCommand("true")))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(AgentClient.code(e)).isEqualTo("sandbox_not_found"));
    }

    @Test
    void manyCallsAtOnceAllAnswer() throws Exception {
        String id = AgentClient.newSessionId();
        agent.boot(id);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        try {
            var calls = new java.util.ArrayList<java.util.concurrent.Future<ExecResponse>>();
            for (int i = 0; i < 300; i++) {
                String n = Integer.toString(i);
                calls.add(pool.submit(() -> agent.stub().withDeadlineAfter(20, java.util.concurrent.TimeUnit.SECONDS)
                        .exec(ExecRequest.newBuilder().setSessionId(id).setCommand("echo " + n).build())));
            }
            for (int i = 0; i < calls.size(); i++) {
                // a call that never answers fails here by its deadline, not by hanging the build
                assertThat(calls.get(i).get(30, java.util.concurrent.TimeUnit.SECONDS).getOutput().toStringUtf8())
                        .isEqualTo(i + "\n");
            }
        } finally {
            pool.shutdownNow();
            agent.destroy(id);
        }
    }

    /**
     * Calls whose callers give up (a deadline, RST_STREAM) while the command still runs: their
     * answers must not reach the connection, where a HEADERS frame for a closed stream is a
     * connection error (GOAWAY) that fails every other call on it.
     */
    @Test
    void callsCancelledMidRunLeaveTheOthersOnTheirConnectionAnswering() throws Exception {
        String id = AgentClient.newSessionId();
        agent.boot(id);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(24);
        try {
            var kept = new java.util.ArrayList<java.util.concurrent.Future<ExecResponse>>();
            var dropped = new java.util.ArrayList<java.util.concurrent.Future<?>>();
            for (int i = 0; i < 200; i++) {
                String n = Integer.toString(i);
                int deadline = 5 + (i * 37) % 300;
                dropped.add(pool.submit(() -> agent.stub()
                        .withDeadlineAfter(deadline, java.util.concurrent.TimeUnit.MILLISECONDS)
                        .exec(ExecRequest.newBuilder().setSessionId(id).setCommand("sleep 0.2; echo " + n).build())));
                kept.add(pool.submit(() -> agent.stub().withDeadlineAfter(60, java.util.concurrent.TimeUnit.SECONDS)
                        .exec(ExecRequest.newBuilder().setSessionId(id).setCommand("echo " + n).build())));
            }
            for (var d : dropped) {
                try {
                    d.get(90, java.util.concurrent.TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException expected) {
                    // DEADLINE_EXCEEDED is what the short ones mostly get
                }
            }
            for (int i = 0; i < kept.size(); i++) {
                ExecResponse answer = kept.get(i).get(90, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(answer.getOutput().toStringUtf8()).as(answer.toString()).isEqualTo(i + "\n");
            }
        } finally {
            pool.shutdownNow();
            agent.destroy(id);
        }
    }
}
