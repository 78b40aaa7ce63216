package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Nothing a user started is lost when the vm-agent restarts: SIGKILLed as a crash, or stopped
 * gracefully as an upgrade (SIGTERM) does, while a background command streams about 10 MiB, a
 * terminal is attached, an exec runs and a forward and a browser's CDP socket are open. The
 * sessions stay running; the command keeps running and its output arrives complete and exactly
 * once; the terminal is attached again with what it printed meanwhile; the exec either finished or
 * says it failed; the connections are closed (never silently dead) and open again; while the agent
 * is away, an exec gets a clear, retryable error.
 */
@PlatformHost
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentRestartIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private LocalPlatform platform;
    private Api api;
    private String key;
    private Sessions sessions;
    private String id;
    private String browser;

    @BeforeAll
    void up() throws Exception {
        platform = SharedPlatform.get();
        api = new Api(platform.apiUrl());
        key = SharedPlatform.credentials().get("CHASER_API_KEY");
        sessions = new Sessions(api, key);
        id = sessions.ephemeralSandbox().get("id").asText();
        browser = sessions.started("{\"session_type\":\"browser\",\"ephemeral\":true}").get("id").asText();
        background("mkdir -p /tmp/fwd && echo '{\"ok\":true}' > /tmp/fwd/ok.json"
                + " && exec python3 -m http.server 8000 --bind 127.0.0.1 --directory /tmp/fwd");
        Await.until(() -> forwarded().status() == 200, 30, "the forwarded server answers");
    }

    @AfterAll
    void down() throws Exception {
        sessions.terminate(id, true);
        sessions.terminate(browser, true);
    }

    @Test
    void aKilledAgentLosesNoCommandAndNoByteOfItsOutput() throws Exception {
        restartWhileStreaming(() -> platform.kill("vm-agent"));
    }

    @Test
    void aGracefullyStoppedAgentLeavesEverySandboxRunning() throws Exception {
        restartWhileStreaming(() -> platform.terminate("vm-agent"));
    }

    private void restartWhileStreaming(Step stop) throws Exception {
        var expected = new ByteArrayOutputStream();
        for (int n = 1; n <= 1_500_000; n++) {
            expected.writeBytes((n + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        // about 10.9 MB in 30 slices over 15 s or more; the agent goes away after the first slices
        String cid = background("for i in $(seq 1 30); do seq $((i*50000-49999)) $((i*50000)); sleep 0.5; done")
                .get("command_id").asText();
        var client = new OutputStreamClient();
        var received = new ByteArrayOutputStream();
        var first = client.read(api.baseUrl() + "/v1/sessions/" + id + "/commands/" + cid + "/stream", key, null,
                300_000);
        received.writeBytes(first.bytes());
        long offset = first.lastId();

        Map<String, String> auth = Map.of("Authorization", "Bearer " + key);
        String wsBase = api.baseUrl().replaceFirst("^http", "ws");
        Terminal terminal = Terminal.open(wsBase + "/v1/sessions/" + id + "/pty?mode=agent", auth);
        terminal.type("echo pty-$((6*7)); sleep 8; echo after-$((6*8))\n");
        terminal.await("pty-42", 20);
        Terminal cdp = Terminal.open(wsBase + "/s/" + browser + "/devtools/browser", auth);
        assertTrue(browserVersion(cdp).contains("Chrome"), "positive control: the CDP socket answers");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<Api.Reply> inFlight = pool.submit(() -> sessions.exec(id, "sleep 3; echo done"));

        stop.run();
        var away = sessions.exec(id, "true");
        assertTrue(away.status() == 503, "an exec while the agent is away: " + away.status() + " " + away.body());
        assertTrue(Sessions.code(away).endsWith("_unavailable"), away.body().toString());
        Await.until(() -> terminal.closed() && cdp.closed(), 30, "open connections are told the agent went away");
        var restarted = platform.run("up");
        assertEquals(0, restarted.exit(), restarted.output());
        var exec = inFlight.get(120, TimeUnit.SECONDS);
        pool.shutdown();
        assertTrue(exec.status() == 200
                ? "done\n".equals(exec.body().get("output").asText())
                : exec.status() >= 500 && !Sessions.code(exec).isEmpty(),
                "the exec in flight finished or says it failed: " + exec.status() + " " + exec.body());

        Integer exit = null;
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (exit == null) {
            assertTrue(System.nanoTime() < deadline, "the command's output ends within two minutes");
            var read = client.read(api.baseUrl() + "/s/" + id + "/commands/" + cid + "/stream?offset=" + offset, key,
                    null, Long.MAX_VALUE);
            if (read.bytes().length > 0) {
                assertEquals(offset, read.firstOffset(), "a resumed stream starts where the last one ended");
                offset = read.lastId();
            }
            received.writeBytes(read.bytes());
            exit = read.exitCode();
        }
        assertEquals(0, exit, "the command ran to its end: the agent's restart did not kill it");
        assertEquals(expected.size(), received.size());
        assertArrayEquals(expected.toByteArray(), received.toByteArray(), "every byte exactly once, in order");

        JsonNode command = api.get("/v1/sessions/" + id + "/commands/" + cid, key).body();
        assertEquals("exited", command.get("status").asText(), command.toString());
        assertEquals("running", sessions.get(id).get("status").asText());
        var after = sessions.exec(id, "echo still-here");
        assertEquals(200, after.status(), after.body().toString());
        assertEquals("still-here\n", after.body().get("output").asText());
        String listed = api.get("/v1/sessions/" + id + "/commands", key).body().get("data").toString();
        assertTrue(listed.contains(cid), "the command is still listed after the restart: " + listed);

        try (Terminal again = Terminal.open(wsBase + "/v1/sessions/" + id + "/pty?attach=" + terminal.ptyId()
                + "&offset=" + terminal.received(), auth)) {
            again.await("after-48", 30);
            assertTrue(!again.printed().contains("pty-42"), "nothing sent twice: " + again.printed());
        }
        assertEquals(200, forwarded().status(), "the forwarded server still runs and is reached again");
        assertEquals("running", sessions.get(browser).get("status").asText());
        try (Terminal cdpAgain = Terminal.open(wsBase + "/s/" + browser + "/devtools/browser", auth)) {
            assertTrue(browserVersion(cdpAgain).contains("Chrome"), "the same browser answers CDP again");
        }
    }

    private Api.Reply forwarded() throws Exception {
        return api.get("/v1/sessions/" + id + "/forward/8000/ok.json", key);
    }

    private static String browserVersion(Terminal cdp) throws Exception {
        cdp.send("{\"id\":1,\"method\":\"Browser.getVersion\"}");
        String reply = cdp.nextText(20);
        return reply == null ? "" : reply;
    }

    private JsonNode background(String command) throws Exception {
        var r = api.call("POST", "/v1/sessions/" + id + "/exec", key, null,
                "{\"command\":" + JSON.writeValueAsString(command) + ",\"background\":true}");
        assertEquals(200, r.status(), r.body().toString());
        return r.body();
    }

    @FunctionalInterface
    private interface Step {

        void run() throws Exception;
    }
}
