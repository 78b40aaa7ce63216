package sh.chaser.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import sh.chaser.agent.commands.BackgroundCommands;
import sh.chaser.agent.support.AgentClient;
import sh.chaser.agent.support.AgentTestProfile;
import sh.chaser.agent.support.SandboxHost;
import sh.chaser.agent.support.SandboxTest;
import sh.chaser.proto.vmagent.v1.ExecRequest;

/**
 * A tenant's environment variables reach the command inside the sandbox and no host process: the
 * host starts nothing for a command (the guest agent inside the sandbox does), so a tenant's
 * LD_PRELOAD, PATH or IFS never meets a host process running as root.
 */
@QuarkusTest
@TestProfile(AgentTestProfile.class)
@SandboxHost
class TenantEnvTest extends SandboxTest {

    @Inject
    BackgroundCommands commands;

    @Test
    void tenantVariablesAreSetInsideAndOnNoHostProcess() throws Exception {
        String id = boot();
        var command = commands.start(id, "echo \"$PROBE_VAR|$PATH\"; exec sleep 30",
                null, Map.of("PROBE_VAR", "tenant-value", "PATH", "/workspace/evil:/usr/bin:/bin"));
        try {
            Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> command.output().size() > 0);
            var chunks = command.output().read(0, 1 << 20, 0);
            // inside: the tenant's values, PATH included
            assertThat(new String(chunks.get(0).data(), StandardCharsets.UTF_8))
                    .isEqualTo("tenant-value|/workspace/evil:/usr/bin:/bin\n");
            String ownNs = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
            int hostProcesses = 0;
            int carrying = 0;
            try (var all = Files.list(Path.of("/proc"))) {
                for (Path proc : all.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                    Map<String, String> environ = environ(proc);
                    if (environ == null) {
                        continue;
                    }
                    boolean onHost = ownNs.equals(nsOf(proc));
                    if ("tenant-value".equals(environ.get("PROBE_VAR"))) {
                        assertThat(onHost).as("a host process (%s) carries the tenant's variable", proc).isFalse();
                        carrying++;
                    }
                    hostProcesses += onHost ? 1 : 0;
                }
            }
            // positive control: the probe reads host processes and finds the variable where it belongs
            assertThat(hostProcesses).isPositive();
            assertThat(carrying).as("the sandboxed command carries the variable").isEqualTo(1);
        } finally {
            commands.kill(command, "KILL");
        }
    }

    private static String nsOf(Path proc) {
        try {
            return Files.readSymbolicLink(proc.resolve("ns/pid")).toString();
        } catch (java.io.IOException gone) {
            return "";
        }
    }

    @Test
    void variablesThatSteerLoadersShellsOrThePlatformAreRefusedByTheAgentToo() {
        String id = boot();
        for (String name : List.of("LD_PRELOAD", "LD_DEBUG", "GCONV_PATH", "BASH_ENV", "ENV", "CHASER_CGROUP_PROCS")) {
            assertThatThrownBy(() -> agent.stub().exec(ExecRequest.newBuilder().setSessionId(id).setCommand("true")
                    .putEnv(name, "/workspace/x").build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(AgentClient.code(e)).as(name).isEqualTo("invalid_request"));
        }
        // positive control: an ordinary variable passes
        var ok = agent.stub().exec(ExecRequest.newBuilder().setSessionId(id).setCommand("echo $OLD_LIKE")
                .putEnv("OLD_LIKE", "fine").build());
        assertThat(ok.getOutput().toStringUtf8()).isEqualTo("fine\n");
    }

    private static Map<String, String> environ(Path proc) {
        Map<String, String> env = new java.util.HashMap<>();
        String text;
        try {
            text = new String(Files.readAllBytes(proc.resolve("environ")), StandardCharsets.UTF_8);
        } catch (java.io.IOException gone) {
            return null;
        }
        for (String entry : text.split("\0")) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                env.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        return env;
    }
}
