package sh.chaser.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import sh.chaser.agent.runtime.ProcessTable;
import sh.chaser.agent.support.AgentClient;
import sh.chaser.agent.support.AgentTestProfile;
import sh.chaser.agent.support.SandboxHost;
import sh.chaser.agent.support.SandboxTest;
import sh.chaser.proto.vmagent.v1.ExecRequest;

/**
 * A tenant's environment variables reach the command inside the sandbox and no host process on the
 * way: the host chain (setsid, runc exec) runs as root, where a tenant's
 * LD_PRELOAD, PATH or IFS would be host code execution.
 */
@QuarkusTest
@TestProfile(AgentTestProfile.class)
@SandboxHost
class TenantEnvTest extends SandboxTest {

    @Test
    void tenantVariablesAreSetInsideAndOnNoHostProcess() throws Exception {
        String id = boot();
        Process process = sandboxes.enter(id, List.of("/bin/sh", "-c", "echo \"$PROBE_VAR|$PATH\"; exec sleep 30"),
                Map.of("PROBE_VAR", "tenant-value", "PATH", "/workspace/evil:/usr/bin:/bin"))
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        try {
            var out = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            // inside: the tenant's values, PATH included
            assertThat(out.readLine()).isEqualTo("tenant-value|/workspace/evil:/usr/bin:/bin");
            List<Long> hostChain = hostChain(process.pid());
            assertThat(hostChain).isNotEmpty();
            for (long pid : hostChain) {
                Map<String, String> environ = environ(pid);
                if (environ == null) {
                    continue; // ended meanwhile
                }
                // positive control: the probe reads a real host environment (the agent's PATH is there)
                assertThat(environ).containsKey("PATH");
                // the tenant's variables are not: they travel as the runtime's arguments and are set inside
                assertThat(environ).doesNotContainKey("PROBE_VAR");
                assertThat(environ.get("PATH")).doesNotContain("/workspace/evil");
                assertThat(environ.keySet()).allMatch(name -> !name.startsWith("LD_"));
            }
        } finally {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void variablesThatSteerLoadersShellsOrThePlatformAreRefusedByTheAgentToo() {
        String id = boot();
        for (String name : List.of("LD_PRELOAD", "LD_DEBUG", "GCONV_PATH", "BASH_ENV", "ENV", "CHASER_CGROUP_PROCS")) {
            assertThatThrownBy(() -> agent.stub().exec(ExecRequest.newBuilder().setSessionId(id).setCommand("true")
                    .putEnv(name, "/workspace/x").build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(AgentClient.code(e)).as(name).isEqualTo("invalid_argument"));
        }
        // positive control: an ordinary variable passes
        var ok = agent.stub().exec(ExecRequest.newBuilder().setSessionId(id).setCommand("echo $OLD_LIKE")
                .putEnv("OLD_LIKE", "fine").build());
        assertThat(ok.getOutput().toStringUtf8()).isEqualTo("fine\n");
    }

    /**
     * The started process and its descendants that still run host code (outside the sandbox's pid
     * namespace); processes that end while they are listed (runc's short-lived helpers) are left out.
     */
    private static List<Long> hostChain(long pid) throws Exception {
        List<Long> chain = new ArrayList<>();
        String ownNs = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
        Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> ProcessTable.children(pid).length > 0
                || !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        java.util.ArrayDeque<Long> todo = new java.util.ArrayDeque<>(List.of(pid));
        while (!todo.isEmpty()) {
            long p = todo.pop();
            try {
                if (Files.readSymbolicLink(Path.of("/proc", Long.toString(p), "ns/pid")).toString().equals(ownNs)) {
                    chain.add(p);
                    for (long child : ProcessTable.children(p)) {
                        todo.push(child);
                    }
                }
            } catch (java.nio.file.NoSuchFileException gone) {
                // ended meanwhile
            }
        }
        return chain;
    }

    private static Map<String, String> environ(long pid) throws Exception {
        Map<String, String> env = new java.util.HashMap<>();
        String text;
        try {
            text = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ")), StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException gone) {
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
