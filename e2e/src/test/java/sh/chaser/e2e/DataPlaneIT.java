package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Inside a sandbox through the gateway, with the clients a user would use: curl for exec, files and
 * forwarding; the JDK's WebSocket client for the terminal and a forwarded WebSocket; an SSE client
 * that hangs up and resumes.
 */
@PlatformHost
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DataPlaneIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private Api api;
    private String key;
    private Sessions sessions;
    private Shell shell;
    private String id;
    private JsonNode session;

    @BeforeAll
    void up() throws Exception {
        LocalPlatform platform = SharedPlatform.get();
        api = new Api(platform.apiUrl());
        key = SharedPlatform.credentials().get("CHASER_API_KEY");
        sessions = new Sessions(api, key);
        session = sessions.ephemeralSandbox();
        id = session.get("id").asText();
        Map<String, String> env = new HashMap<>(SharedPlatform.credentials());
        env.put("SID", id);
        env.put("CONTROL", session.get("endpoints").get("control").asText());
        shell = new Shell(env);
    }

    @AfterAll
    void down() throws Exception {
        if (id != null) {
            sessions.terminate(id, true);
        }
    }

    private static final String CURL = "curl -sS -H \"Authorization: Bearer $CHASER_API_KEY\" ";

    @Test
    void execAnswersExitCodeAndCombinedOutputUnderEveryEndpointStyle() throws Exception {
        String body = "-H 'Content-Type: application/json' -d '{\"command\":\"echo hi; echo err >&2; exit 3\"}'";
        for (String base : new String[]{ "$CHASER_API_URL/v1/sessions/$SID", "$CHASER_API_URL/s/$SID",
                "${CONTROL%/}" }) {
            JsonNode r = shell.json(CURL + body + " " + base + "/exec");
            assertEquals(3, r.get("exit_code").asInt(), r.toString());
            assertEquals("hi\nerr\n", r.get("output").asText());
        }
        JsonNode cwdEnv = shell
                .json(CURL + "-H 'Content-Type: application/json' -d '{\"command\":\"pwd; echo $GREETING\","
                        + "\"cwd\":\"/tmp\",\"env\":{\"GREETING\":\"hey\"}}' $CHASER_API_URL/s/$SID/exec");
        assertEquals("/tmp\nhey\n", cwdEnv.get("output").asText());
        JsonNode timedOut = shell
                .json(CURL + "-H 'Content-Type: application/json' -d '{\"command\":\"sleep 31 & sleep 32\","
                        + "\"timeout_ms\":300}' $CHASER_API_URL/s/$SID/exec");
        assertTrue(timedOut.get("timed_out").asBoolean(), timedOut.toString());
        assertEquals(-1, timedOut.get("exit_code").asInt());
        var left = sessions.exec(id, "ps -eo args | grep -c '^sleep 3[12]$' || true");
        assertEquals("0\n", left.body().get("output").asText(), "the whole process tree dies at the deadline");
        JsonNode big = shell.json(CURL
                + "-H 'Content-Type: application/json' -d '{\"command\":\"head -c 1100000 /dev/zero"
                + " | tr \\\\\\\\0 a\"}' $CHASER_API_URL/s/$SID/exec | jq '{output_truncated, length: (.output | length)}'");
        assertTrue(big.get("output_truncated").asBoolean());
        assertEquals(1 << 20, big.get("length").asInt());
    }

    @Test
    void backgroundCommandsTakeStdinListAndDieBySignal() throws Exception {
        var cat = background("cat; echo read-all >&2");
        assertTrue(cat.get("pid").asLong() > 0, cat.toString());
        String cid = cat.get("command_id").asText();
        var stdin = api.call("POST", "/v1/sessions/" + id + "/commands/" + cid + "/stdin", key, null,
                "{\"data\":\"hello\\n\",\"eof\":true}");
        assertEquals(200, stdin.status(), stdin.body().toString());
        JsonNode done = Await.until(() -> api.get("/v1/sessions/" + id + "/commands/" + cid, key).body(),
                c -> c.get("status").asText().equals("exited"), 20, "cat exits at end of input");
        assertEquals(0, done.get("exit_code").asInt());
        var all = new OutputStreamClient().read(api.baseUrl() + "/s/" + id + "/commands/" + cid + "/stream", key, null,
                Long.MAX_VALUE);
        // stdout and stderr are separate pipes: their relative order is the order the host read them
        String both = new String(all.bytes(), StandardCharsets.UTF_8);
        assertEquals("read-all\n", all.stderr());
        assertEquals("hello\n", both.replace("read-all\n", ""));
        assertEquals(0, all.exitCode());

        String sleeper = background("sleep 300").get("command_id").asText();
        var kill = api.call("POST", "/v1/sessions/" + id + "/commands/" + sleeper + "/kill", key, null,
                "{\"signal\":\"TERM\"}");
        assertEquals(202, kill.status(), kill.body().toString());
        JsonNode killed = Await.until(() -> api.get("/v1/sessions/" + id + "/commands/" + sleeper, key).body(),
                c -> c.get("status").asText().equals("exited"), 20, "the killed command exits");
        assertEquals(128 + 15, killed.get("exit_code").asInt());
        var list = api.get("/v1/sessions/" + id + "/commands", key).body().get("data").toString();
        assertTrue(list.contains(cid) && list.contains(sleeper), list);
        assertEquals(404,
                api.get("/v1/sessions/" + id + "/commands/00000000-0000-0000-0000-000000000000", key).status());
    }

    @Test
    void anOutputStreamDroppedTenTimesDeliversEveryByteExactlyOnceAlsoAfterItsGatewayDied() throws Exception {
        var expected = new ByteArrayOutputStream();
        for (int n = 1; n <= 1_500_000; n++) {
            expected.writeBytes((n + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        var client = new OutputStreamClient();
        var received = new ByteArrayOutputStream();
        String[] styles = { "/v1/sessions/" + id, "/s/" + id };
        // the first part comes through a second gateway instance, which then dies (SIGKILL)
        int port = LocalPlatform.freePort();
        Process other = SharedPlatform.get().extraGateway(port);
        // about 10.9 MB, written in 15 slices while the client keeps hanging up
        var started = background("for i in $(seq 1 15); do seq $((i*100000-99999)) $((i*100000)); sleep 0.3; done");
        String cid = started.get("command_id").asText();
        long offset;
        try {
            var first = client.read("http://127.0.0.1:" + port + "/v1/sessions/" + id + "/commands/" + cid + "/stream",
                    key, null, 500_000);
            received.writeBytes(first.bytes());
            offset = first.lastId();
        } finally {
            other.destroyForcibly().waitFor();
        }
        assertEquals(received.size(), offset);
        int drops = 0;
        Integer exit = null;
        while (exit == null) {
            String url = api.baseUrl() + styles[drops % 2] + "/commands/" + cid + "/stream";
            // resume alternately by ?offset= and by Last-Event-ID
            boolean byQuery = drops % 2 == 0;
            var read = client.read(byQuery ? url + "?offset=" + offset : url, key,
                    byQuery ? null : Long.toString(offset),
                    drops < 10 ? 800_000 : Long.MAX_VALUE);
            if (read.bytes().length > 0) {
                assertEquals(offset, read.firstOffset(), "a resumed stream starts where the last one ended");
                offset = read.lastId();
            }
            received.writeBytes(read.bytes());
            exit = read.exitCode();
            if (exit == null) {
                drops++;
            }
        }
        assertTrue(drops >= 10, "the client hung up " + drops + " times (and once more when its first gateway died)");
        assertEquals(0, exit);
        assertEquals(expected.size(), received.size());
        assertArrayEquals(expected.toByteArray(), received.toByteArray());
    }

    @Test
    void aTerminalEchoesResizesAndReportsTheExitCode() throws Exception {
        String ws = api.baseUrl().replaceFirst("^http", "ws");
        try (Terminal t = Terminal.open(ws + "/v1/sessions/" + id + "/pty?mode=human&cols=80&rows=24",
                Map.of("Authorization", "Bearer " + key))) {
            t.type("echo hello-$((6*7))\n");
            t.await("hello-42", 20);
            assertTrue(t.printed().contains("echo hello-$((6*7))"), "human mode echoes what is typed");
            t.send("{\"type\":\"resize\",\"cols\":123,\"rows\":40}");
            t.type("echo cols=$(tput cols)\n");
            t.await("cols=123", 20);
            var resize = api.call("POST", "/v1/sessions/" + id + "/resize", key, null, "{\"cols\":99,\"rows\":30}");
            assertEquals(200, resize.status(), resize.body().toString());
            t.clear();
            t.type("echo size=$(stty size)\n");
            t.await("size=30 99", 20);
            assertTrue(sessions.get(id).get("active_connection_leases").asInt() >= 1, "an open terminal holds a lease");
            t.type("exit 7\n");
            JsonNode exit = t.nextControl(20);
            assertNotNull(exit, "the server sends an exit message");
            assertEquals("exit", exit.get("type").asText());
            assertEquals(7, exit.get("exit_code").asInt());
            Await.until(t::closed, 20, "the server closes the terminal after the exit message");
        }
        Await.until(() -> sessions.get(id).get("active_connection_leases").asInt() == 0, 30,
                "the closed terminal's lease is released");
    }

    @Test
    void agentModeDoesNotEchoAndExecModeRunsOneCommandWithAConnectToken() throws Exception {
        var token = api.call("POST", "/v1/sessions/" + id + "/connect-token", key, null, null);
        assertEquals(201, token.status(), token.body().toString());
        String t = token.body().get("token").asText();
        String ws = api.baseUrl().replaceFirst("^http", "ws");
        try (Terminal agent = Terminal.open(ws + "/s/" + id + "/pty?mode=agent&token=" + t, Map.of())) {
            agent.type("echo quiet-$((1+1))\n");
            agent.await("quiet-2", 20);
            assertFalse(agent.printed().contains("echo quiet"), "agent mode does not echo: " + agent.printed());
            assertFalse(agent.printed().contains("\u001b["), "agent mode prints no escape sequences");
            agent.type("exit\n");
            assertEquals(0, agent.nextControl(20).get("exit_code").asInt());
        }
        String another = api.call("POST", "/v1/sessions/" + id + "/connect-token", key, null, null).body().get("token")
                .asText();
        try (Terminal exec = Terminal.open(
                ws + "/s/" + id + "/pty?mode=exec&command=echo%20one-shot%3B%20exit%203&token=" + another,
                Map.of())) {
            exec.await("one-shot", 20);
            assertEquals(3, exec.nextControl(20).get("exit_code").asInt());
        }
        var other = sessions.ephemeralSandbox().get("id").asText();
        try {
            var foreign = shell.run("curl -s -o /dev/null -w '%{http_code}' \"$CHASER_API_URL/s/" + other
                    + "/pty?token=" + t + "\"");
            assertEquals("401", foreign, "a connect token opens only its own session");
            assertEquals("401", shell.run(
                    "curl -s -o /dev/null -w '%{http_code}' \"$CHASER_API_URL/s/$SID/self-test?token=ct_forged.x\" -X POST"));
        } finally {
            sessions.terminate(other, true);
        }
    }

    @Test
    void filesGoUpAndDownUpTo16MiB() throws Exception {
        shell.run(
                "head -c 16777216 /dev/urandom > /tmp/chaser-e2e-16m && head -c 16777217 /dev/urandom > /tmp/chaser-e2e-16m1");
        JsonNode up = shell
                .json(CURL + "-F path=big/file.bin -F file=@/tmp/chaser-e2e-16m $CHASER_API_URL/s/$SID/upload");
        assertEquals("/workspace/big/file.bin", up.get("path").asText());
        assertEquals(16777216, up.get("size").asLong());
        assertEquals(shell.run("sha256sum /tmp/chaser-e2e-16m | cut -d' ' -f1").strip(), up.get("sha256").asText());
        shell.run(CURL + "-o /tmp/chaser-e2e-16m.down \"$CHASER_API_URL/v1/sessions/$SID/download?path=big/file.bin\""
                + " && cmp /tmp/chaser-e2e-16m /tmp/chaser-e2e-16m.down");
        JsonNode tooBig = shell
                .json(CURL + "-F path=big/too.bin -F file=@/tmp/chaser-e2e-16m1 $CHASER_API_URL/s/$SID/upload"
                        + " -w '' -o - ");
        assertEquals("payload_too_large", tooBig.get("error").get("code").asText());
        assertEquals("413",
                shell.run("curl -s -o /dev/null -w '%{http_code}' -H \"Authorization: Bearer $CHASER_API_KEY\""
                        + " -F path=big/too.bin -F file=@/tmp/chaser-e2e-16m1 $CHASER_API_URL/s/$SID/upload"));
        assertEquals("0\n", sessions.exec(id, "ls /workspace/big | grep -c too || true").body().get("output").asText(),
                "a refused upload writes nothing");
        sessions.exec(id, "head -c 16777217 /dev/zero > /workspace/big/huge.bin");
        assertEquals("413",
                shell.run("curl -s -o /dev/null -w '%{http_code}' -H \"Authorization: Bearer $CHASER_API_KEY\""
                        + " \"$CHASER_API_URL/s/$SID/download?path=big/huge.bin\""));
        shell.run("rm -f /tmp/chaser-e2e-16m /tmp/chaser-e2e-16m1 /tmp/chaser-e2e-16m.down");
    }

    @Test
    void escapesFromTheSandboxAreRefusedAndAudited() throws Exception {
        sessions.exec(id, "ln -sf /etc/passwd /workspace/abs && ln -sf ../../proc/1/environ /workspace/rel"
                + " && echo sandbox-marker > /workspace/marker && ln -sf ../../../../../../workspace/marker /workspace/climb"
                + " && mkfifo /workspace/fifo");
        String[] attempts = { "../etc/passwd", "/workspace/../../etc/passwd", "abs", "rel", "/proc/self/environ",
                "/dev/null", "fifo", "/sys/kernel/notes" };
        for (String path : attempts) {
            var r = api.get(
                    "/v1/sessions/" + id + "/download?path=" + java.net.URLEncoder.encode(path, StandardCharsets.UTF_8),
                    key);
            assertEquals(400, r.status(), path + ": " + r.body());
            assertEquals("path_not_allowed", Sessions.code(r), path);
            String requestId = r.requestId();
            Await.until(() -> refusalAudited(requestId, path), 30, "the refused path " + path + " is audited");
        }
        // a relative link that climbs stays inside: it resolves against the sandbox's root (the host has no /workspace)
        String viaLink = shell.run(CURL + "\"$CHASER_API_URL/v1/sessions/$SID/download?path=climb\"");
        assertEquals("sandbox-marker\n", viaLink);
        String upload = shell
                .run("curl -s -H \"Authorization: Bearer $CHASER_API_KEY\" -F path=abs -F file=@/etc/hostname"
                        + " $CHASER_API_URL/s/$SID/upload");
        assertEquals("path_not_allowed", JSON.readTree(upload).get("error").get("code").asText());
        assertFalse(java.nio.file.Files.readString(java.nio.file.Path.of("/etc/passwd")).contains(
                java.nio.file.Files.readString(java.nio.file.Path.of("/etc/hostname")).strip() + "\n"),
                "the host's /etc/passwd is untouched");
    }

    @Test
    void forwardingReachesHttpAndWebSocketServersInTheSandbox() throws Exception {
        background(
                "cd /tmp && echo served-from-sandbox > hello.txt && exec python3 -m http.server 8000 --bind 127.0.0.1");
        String served = Await.until(() -> shell.run("curl -s -H \"Authorization: Bearer $CHASER_API_KEY\""
                + " $CHASER_API_URL/s/$SID/forward/8000/hello.txt || true"), s -> s.contains("served"), 30,
                "the HTTP server in the sandbox answers through forward/");
        assertEquals("served-from-sandbox\n", served);
        assertEquals("served-from-sandbox\n", shell.run(CURL + "${CONTROL%/}/forward/8000/hello.txt"));
        JsonNode closed = JSON.readTree(shell.run("curl -s -H \"Authorization: Bearer $CHASER_API_KEY\""
                + " $CHASER_API_URL/v1/sessions/$SID/forward/8001/"));
        assertEquals("port_not_listening", closed.get("error").get("code").asText());

        String script = new String(getClass().getResourceAsStream("/ws_echo.py").readAllBytes(),
                StandardCharsets.UTF_8);
        java.nio.file.Path local = java.nio.file.Files.createTempFile("chaser-e2e-ws", ".py");
        java.nio.file.Files.writeString(local, script);
        shell.run(CURL + "-F path=ws_echo.py -F file=@" + local + " $CHASER_API_URL/s/$SID/upload");
        java.nio.file.Files.delete(local);
        background("exec python3 ws_echo.py 9000");
        String ws = api.baseUrl().replaceFirst("^http", "ws");
        Terminal echo = Await.until(() -> {
            try {
                return Terminal.open(ws + "/s/" + id + "/forward/9000/", Map.of("Authorization", "Bearer " + key));
            } catch (Exception notYet) {
                return null;
            }
        }, t -> t != null, 30, "the WebSocket server in the sandbox accepts through forward/");
        try (echo) {
            echo.send("ping");
            assertEquals("echo: ping", echo.nextText(20), "a text message comes back");
            echo.type("binary-bytes");
            echo.await("binary-bytes", 20);
            var refused = sessions.terminate(id, false);
            assertEquals(409, refused.status(), "an open forwarded WebSocket holds a lease");
            assertEquals("session_has_active_leases", Sessions.code(refused));
        }
    }

    @Test
    void browserSessionsRefuseSandboxOperations() throws Exception {
        String browser = sessions.started("{\"session_type\":\"browser\",\"ephemeral\":true}").get("id").asText();
        try {
            String[][] calls = { { "POST", "/exec", "{\"command\":\"true\"}" }, { "GET", "/download?path=x", null },
                    { "POST", "/self-test", null }, { "GET", "/forward/80/", null }, { "GET", "/commands", null } };
            for (String[] c : calls) {
                var r = api.call(c[0], "/s/" + browser + c[1], key, null, c[2]);
                assertEquals(400, r.status(), c[1] + ": " + r.body());
                assertEquals("unsupported_for_session_type", Sessions.code(r), c[1]);
            }
        } finally {
            sessions.terminate(browser, true);
        }
    }

    @Test
    void selfTestReportsTheSandbox() throws Exception {
        JsonNode r = shell.json(CURL + "-X POST $CHASER_API_URL/s/$SID/self-test");
        assertEquals("/workspace", r.get("cwd").asText());
        assertTrue(r.get("path_entries").toString().contains("/usr/bin"), r.toString());
        assertFalse(r.get("tools").get("python3").isNull(), r.toString());
        assertFalse(r.get("tools").get("git").isNull(), r.toString());
        assertEquals(id, r.get("chaser").get("session_id").asText());
        assertEquals("/workspace", r.get("chaser").get("workspace_root").asText());
    }

    private JsonNode background(String command) throws Exception {
        var r = api.call("POST", "/v1/sessions/" + id + "/exec", key, null,
                "{\"command\":" + JSON.writeValueAsString(command) + ",\"background\":true}");
        assertEquals(200, r.status(), r.body().toString());
        return r.body();
    }

    private boolean refusalAudited(String requestId, String path) throws Exception {
        for (var event : api.get("/v1/audit/events?action=request.refused&status=failure&limit=500", key).body()
                .get("data")) {
            var metadata = event.get("metadata");
            if (requestId.equals(metadata.path("request_id").asText())) {
                return "path_not_allowed".equals(metadata.path("code").asText())
                        && id.equals(metadata.path("session_id").asText())
                        && path.equals(metadata.path("path").asText());
            }
        }
        return false;
    }
}
