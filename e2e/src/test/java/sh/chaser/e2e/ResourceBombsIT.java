package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A tenant tries to take the host's processes, memory and disk from everyone else through the
 * gateway: a fork bomb, a memory bomb and an output flood each hit the sandbox's own wall, and a
 * neighbour sandbox works on undisturbed (the positive control that the host still has room).
 */
@PlatformHost
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResourceBombsIT {

    /** The shared platform's caps for background command output (per command, per session). */
    static final long COMMAND_OUTPUT_BYTES = 16L << 20;
    static final long SESSION_OUTPUT_BYTES = 24L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();
    private Api api;
    private String key;
    private Sessions sessions;
    private String bomber;
    private String neighbour;

    @BeforeAll
    void up() throws Exception {
        api = new Api(SharedPlatform.get().apiUrl());
        key = SharedPlatform.credentials().get("CHASER_API_KEY");
        sessions = new Sessions(api, key);
        bomber = sessions.ephemeralSandbox().get("id").asText();
        neighbour = sessions.ephemeralSandbox().get("id").asText();
    }

    @AfterAll
    void down() throws Exception {
        for (String id : new String[]{ bomber, neighbour }) {
            if (id != null) {
                sessions.terminate(id, true);
            }
        }
    }

    private String run(String id, String command, int timeoutMs) throws Exception {
        var r = api.call("POST", "/v1/sessions/" + id + "/exec", key, null, "{\"command\":"
                + JSON.writeValueAsString(command) + ",\"timeout_ms\":" + timeoutMs + "}");
        assertEquals(200, r.status(), r.body().toString());
        return r.body().get("output").asText();
    }

    private void neighbourStillWorks() throws Exception {
        assertEquals("alive\n", run(neighbour, "echo alive", 30_000),
                "the neighbour sandbox lost its share of the host");
    }

    /** The sandbox's cgroup's count of processes, read on the host (v1 or v2 hierarchy). */
    private static long pidsCurrent(String sessionId) throws Exception {
        String group = SharedPlatform.get().sandboxCgroup(sessionId);
        for (Path file : new Path[]{ Path.of("/sys/fs/cgroup/pids", group, "pids.current"),
                Path.of("/sys/fs/cgroup", group, "pids.current") }) {
            if (Files.exists(file)) {
                return Long.parseLong(Files.readString(file).strip());
            }
        }
        throw new AssertionError("no pids.current for " + group);
    }

    @Test
    void aForkBombStopsAtTheSandboxsProcessLimit() throws Exception {
        String own = sessions.ephemeralSandbox().get("id").asText();
        try {
            // each loop is its own shell: when a fork fails, dash gives up ("Cannot fork") and the next loop tries again
            String out = run(own, "for j in 1 2 3; do (i=0; while [ $i -lt 1000 ]; do sleep 120 >/dev/null 2>&1 &"
                    + " i=$((i+1)); done) 2>&1 | tail -n 1; done", 60_000);
            assertTrue(out.contains("fork"), out);
            long running = pidsCurrent(own);
            // positive control: the bomb did make processes, right up to the limit (512 by default)
            assertTrue(running > 400 && running <= 512, "processes in the sandbox: " + running);
            neighbourStillWorks();
        } finally {
            sessions.terminate(own, true);
        }
    }

    @Test
    void aMemoryBombIsKilledInsideItsSandbox() throws Exception {
        // one string past the sandbox's 512 MiB: the kernel kills the process in the sandbox's cgroup (137)
        String out = run(bomber, "perl -e '$x = \"x\" x (1200 * 1048576); print length $x' > /dev/null; echo status=$?",
                120_000);
        assertTrue(out.contains("status=137"), out);
        // positive control: the same command under the limit finishes
        assertEquals("status=0\n",
                run(bomber, "perl -e '$x = \"x\" x (64 * 1048576); print length $x' > /dev/null; echo status=$?",
                        60_000));
        neighbourStillWorks();
    }

    @Test
    void anOutputFloodKeepsACappedAmountOnTheHost() throws Exception {
        String first = background("head -c " + (COMMAND_OUTPUT_BYTES + (4L << 20)) + " /dev/zero");
        String second = background("head -c " + (COMMAND_OUTPUT_BYTES + (4L << 20)) + " /dev/zero");
        Path commands = SharedPlatform.get().scratch(bomber).getParent().getParent().getParent().resolve("commands")
                .resolve(bomber);
        long firstKept = Files.size(commands.resolve(first + ".out"));
        long secondKept = Files.size(commands.resolve(second + ".out"));
        assertTrue(firstKept < COMMAND_OUTPUT_BYTES + 4096, "one command kept " + firstKept);
        assertTrue(firstKept >= COMMAND_OUTPUT_BYTES, "positive control: the first command wrote up to its cap");
        assertTrue(firstKept + secondKept < SESSION_OUTPUT_BYTES + 8192,
                "the session kept " + (firstKept + secondKept));
        // what the client sees at the end of the stream: the marker, then the exit
        var tail = new OutputStreamClient()
                .read(api.baseUrl() + "/s/" + bomber + "/commands/" + second + "/stream?offset="
                        + (SESSION_OUTPUT_BYTES - COMMAND_OUTPUT_BYTES), key, null, Long.MAX_VALUE);
        assertTrue(tail.stderr().contains("output truncated after the session's"), tail.stderr());
        neighbourStillWorks();
    }

    /** Starts a background command and waits for it to end; its id. */
    private String background(String command) throws Exception {
        var r = api.call("POST", "/v1/sessions/" + bomber + "/exec", key, null,
                "{\"command\":" + JSON.writeValueAsString(command) + ",\"background\":true}");
        assertEquals(200, r.status(), r.body().toString());
        String id = r.body().get("command_id").asText();
        JsonNode done = Await.until(() -> api.get("/v1/sessions/" + bomber + "/commands/" + id, key).body(),
                c -> "exited".equals(c.get("status").asText()), 60, "the flood ends");
        assertEquals(0, done.get("exit_code").asInt());
        return id;
    }
}
