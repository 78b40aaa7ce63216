package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Sessions as real microVMs through the gateway: a platform of its own started with
 * {@code ./chaser up --runtime qemu} (TCG on these machines: one VM at a time, seconds per boot),
 * a session created, its commands and files, the workspace outliving it into the next session.
 */
@PlatformHost
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MicroVmSessionsIT {

    private LocalPlatform platform;
    private Api api;
    private String key;
    private Sessions sessions;

    @BeforeAll
    void up() throws Exception {
        platform = new LocalPlatform();
        LocalPlatform.Result up = platform.run("up", "--runtime", "qemu");
        assertEquals(0, up.exit(), up.output());
        Map<String, String> printed = up.variables();
        api = new Api(printed.get("CHASER_API_URL"));
        key = printed.get("CHASER_API_KEY");
        sessions = new Sessions(api, key);
    }

    @AfterAll
    void down() throws Exception {
        platform.run("down");
        platform.dropDatabases();
    }

    /** A session of the body, running (under TCG a boot may outlast the create call's wait). */
    private JsonNode running(String body) throws Exception {
        var created = sessions.create(body);
        assertTrue(created.status() == 201 || created.status() == 202, created.body().toString());
        String id = created.body().get("id").asText();
        return Await.until(() -> sessions.get(id), s -> s.get("status").asText().equals("running"), 180,
                "the microVM session " + id + " runs");
    }

    @Test
    void aMicroVmSessionRunsCommandsAndItsWorkspaceOutlivesIt() throws Exception {
        String ws = sessions.workspace("sandbox");
        JsonNode first = running("{\"session_type\":\"sandbox\",\"workspace\":\"" + ws + "\"}");
        String id = first.get("id").asText();
        assertEquals("qemu", first.get("runtime").asText(), first.toString());
        var probe = sessions.exec(id, "id -u; grep -c chaser.ip /proc/cmdline; echo kept > /workspace/note.txt; echo ok");
        assertEquals(200, probe.status(), probe.body().toString());
        // the sandbox's user, in a kernel of its own (the host's command line has no chaser.ip)
        assertEquals("1000\n1\nok\n", probe.body().get("output").asText());
        var download = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(api.baseUrl() + "/v1/sessions/" + id + "/download?path=note.txt"))
                .header("Authorization", "Bearer " + key).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals("kept\n", download.body(), "a file through the gateway from the VM's guest agent");
        assertEquals(200, sessions.terminate(id, false).status());
        Await.until(() -> api.get("/v1/workspaces/" + ws, key).body().get("active_session_id").isNull(), 60,
                "the terminated microVM releases the workspace");

        String second = running("{\"session_type\":\"sandbox\",\"workspace\":\"" + ws + "\"}").get("id").asText();
        var read = sessions.exec(second, "cat /workspace/note.txt");
        assertEquals("kept\n", read.body().get("output").asText(), read.body().toString());

        // a terminal inside the VM: echo, resize, exit status
        String wsUrl = api.baseUrl().replaceFirst("^http", "ws");
        try (Terminal t = Terminal.open(wsUrl + "/v1/sessions/" + second + "/pty?mode=human&cols=80&rows=24",
                Map.of("Authorization", "Bearer " + key))) {
            t.type("echo hello-$((6*7))\n");
            t.await("hello-42", 60);
            t.send("{\"type\":\"resize\",\"cols\":123,\"rows\":40}");
            t.type("echo size=$(stty size)\n");
            t.await("size=40 123", 60);
            t.type("exit 7\n");
            assertEquals(7, t.nextControl(60).get("exit_code").asInt());
        }
        // a background command's output as a stream, and an HTTP server in the VM through forward/
        var started = api.call("POST", "/v1/sessions/" + second + "/exec", key, null, "{\"command\":\"cd /tmp && echo"
                + " served-from-vm > hello.txt && echo listening && exec python3 -m http.server 8000\",\"background\":true}");
        assertEquals(200, started.status(), started.body().toString());
        String served = Await.until(() -> {
            var r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    api.baseUrl() + "/s/" + second + "/forward/8000/hello.txt")).header("Authorization", "Bearer " + key)
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            return r.body();
        }, b -> b.equals("served-from-vm\n"), 90, "the VM's HTTP server answers through forward/");
        assertEquals("served-from-vm\n", served);
        String cid = started.body().get("command_id").asText();
        var output = new OutputStreamClient().read(api.baseUrl() + "/s/" + second + "/commands/" + cid + "/stream", key, null, 10);
        assertEquals("listening\n", new String(output.bytes(), java.nio.charset.StandardCharsets.UTF_8).substring(0, 10));

        // a forced terminate stops the VM under its running command
        var forced = sessions.terminate(second, true);
        assertEquals(200, forced.status(), forced.body().toString());
        assertEquals("terminated", forced.body().get("status").asText());
    }
}
