package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Sessions as real microVMs through the gateway: the microVM platform ({@link QemuPlatform}:
 * {@code ./chaser up --runtime qemu}, TCG on these machines: one VM at a time, seconds per boot),
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
        platform = QemuPlatform.get();
        Map<String, String> printed = QemuPlatform.credentials();
        api = new Api(printed.get("CHASER_API_URL"));
        key = printed.get("CHASER_API_KEY");
        sessions = new Sessions(api, key);
    }

    /** Deletes a workspace a test made (an account holds 25 GiB of workspace caps; each takes 10). */
    private void deleteWorkspace(String ws) throws Exception {
        var deleted = api.call("DELETE", "/v1/workspaces/" + ws + "?force=true", key, null, null);
        assertEquals(204, deleted.status(), String.valueOf(deleted.body()));
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
        var probe = sessions.exec(id,
                "id -u; grep -c chaser.ip /proc/cmdline; echo kept > /workspace/note.txt; echo ok");
        assertEquals(200, probe.status(), probe.body().toString());
        // the sandbox's user, in a kernel of its own (the host's command line has no chaser.ip)
        assertEquals("1000\n1\nok\n", probe.body().get("output").asText());
        var download = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(api.baseUrl() + "/v1/sessions/" + id + "/download?path=note.txt"))
                .header("Authorization", "Bearer " + key).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals("kept\n", download.body(), "a file through the gateway from the VM's guest agent");
        // the closed DevTools connection's lease is released just after the client sees the close: a
        // terminate racing that release is refused with 409 session_has_active_leases, then succeeds
        Await.until(() -> sessions.terminate(id, false).status(), status -> status == 200, 30,
                "a graceful terminate once the DevTools connection's lease is released");
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
            var r = java.net.http.HttpClient.newHttpClient()
                    .send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                            api.baseUrl() + "/s/" + second + "/forward/8000/hello.txt"))
                            .header("Authorization", "Bearer " + key)
                            .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            return r.body();
        }, b -> b.equals("served-from-vm\n"), 90, "the VM's HTTP server answers through forward/");
        assertEquals("served-from-vm\n", served);
        // a server on the VM's loopback only (as dev servers bind by default) answers through the guest agent too
        var loopback = api.call("POST", "/v1/sessions/" + second + "/exec", key, null, "{\"command\":\"cd /tmp && exec"
                + " python3 -m http.server 8001 --bind 127.0.0.1\",\"background\":true}");
        assertEquals(200, loopback.status(), loopback.body().toString());
        assertEquals("served-from-vm\n", Await.until(() -> java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(api.baseUrl() + "/s/" + second
                        + "/forward/8001/hello.txt")).header("Authorization", "Bearer " + key).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body(), b -> b.equals("served-from-vm\n"), 90,
                "a loopback-only server in the VM answers through forward/"));
        var closed = java.net.http.HttpClient.newHttpClient()
                .send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                        api.baseUrl() + "/s/" + second + "/forward/8009/")).header("Authorization", "Bearer " + key)
                        .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(502, closed.statusCode(), closed.body());
        assertTrue(closed.body().contains("port_not_listening"), closed.body());
        String cid = started.body().get("command_id").asText();
        var output = new OutputStreamClient().read(api.baseUrl() + "/s/" + second + "/commands/" + cid + "/stream", key,
                null, 10);
        assertEquals("listening\n",
                new String(output.bytes(), java.nio.charset.StandardCharsets.UTF_8).substring(0, 10));
        streamResumes(second);

        // a forced terminate stops the VM under its running command
        var forced = sessions.terminate(second, true);
        assertEquals(200, forced.status(), forced.body().toString());
        assertEquals("terminated", forced.body().get("status").asText());
        deleteWorkspace(ws);
    }

    /** A background command's output read in pieces: each connection hangs up and the next resumes by Last-Event-ID. */
    private void streamResumes(String id) throws Exception {
        var started = api.call("POST", "/v1/sessions/" + id + "/exec", key, null,
                "{\"command\":\"seq 1 200000 | sed s/^/line-/\",\"background\":true}");
        assertEquals(200, started.status(), started.body().toString());
        String url = api.baseUrl() + "/v1/sessions/" + id + "/commands/" + started.body().get("command_id").asText()
                + "/stream";
        var client = new OutputStreamClient();
        var received = new java.io.ByteArrayOutputStream();
        String last = null;
        Integer exit = null;
        int connections = 0;
        while (exit == null && connections < 500) {
            var read = client.read(url, key, last, 64 << 10);
            if (read.bytes().length > 0) {
                assertEquals(received.size(), read.firstOffset(), "a resumed stream starts where the last one ended");
                last = Long.toString(read.lastId());
            }
            received.writeBytes(read.bytes());
            exit = read.exitCode();
            connections++;
        }
        StringBuilder expected = new StringBuilder();
        for (int i = 1; i <= 200_000; i++) {
            expected.append("line-").append(i).append('\n');
        }
        assertEquals(0, exit);
        assertTrue(connections >= 3, "the output came over " + connections + " connections");
        assertEquals(expected.toString(), received.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void aHostOfMicroVmsAlsoRunsTheRuntimeItOffersWhenASessionNamesIt() throws Exception {
        JsonNode named = running("{\"session_type\":\"sandbox\",\"ephemeral\":true,\"runtime\":\"namespace\"}");
        String id = named.get("id").asText();
        try {
            assertEquals("namespace", named.get("runtime").asText(), named.toString());
            // the host's kernel (no chaser.ip on its command line): not a VM; positive control: the
            // same probe in a microVM session says 1 (aMicroVmSessionRunsCommandsAndItsWorkspaceOutlivesIt)
            assertEquals("0\n",
                    sessions.exec(id, "grep -c chaser.ip /proc/cmdline || true").body().get("output").asText());
            var refused = sessions
                    .create("{\"session_type\":\"sandbox\",\"ephemeral\":true,\"runtime\":\"firecracker\"}");
            assertEquals(400, refused.status(), refused.body().toString());
            assertEquals("runtime", refused.body().path("error").path("field").asText(), refused.body().toString());
        } finally {
            sessions.terminate(id, true);
        }
    }

    @Test
    void aBrowserInAMicroVmAnswersPlaywrightAndKeepsItsProfileOnTheWorkspace() throws Exception {
        var playwright = new PlaywrightClient(240);
        String ws = sessions.workspace("browser");
        JsonNode first = running("{\"session_type\":\"browser\",\"workspace\":\"" + ws + "\"}");
        String id = first.get("id").asText();
        assertEquals("qemu", first.get("runtime").asText(), first.toString());
        String endpoint = api.baseUrl() + "/s/" + id + "/";
        JsonNode seen = playwright.run(endpoint, "page", key, null);
        assertEquals("Hello from Chaser", seen.get("title").asText(), seen.toString());
        assertEquals("hi:42", seen.get("evaluated").asText());
        assertEquals("89504e470d0a1a0a", seen.get("pngSignature").asText(), "a PNG rendered in the VM");
        String value = "vm-" + java.util.UUID.randomUUID();
        assertEquals("[\"" + value + "\"]", playwright.run(endpoint, "set-cookie", key, value).get("set").toString());
        // the closed DevTools connection's lease is released just after the client sees the close: a
        // terminate racing that release is refused with 409 session_has_active_leases, then succeeds
        Await.until(() -> sessions.terminate(id, false).status(), status -> status == 200, 30,
                "a graceful terminate once the DevTools connection's lease is released");
        Await.until(() -> api.get("/v1/workspaces/" + ws, key).body().get("active_session_id").isNull(), 60,
                "the terminated browser VM releases the workspace");

        String second = running("{\"session_type\":\"browser\",\"workspace\":\"" + ws + "\"}").get("id").asText();
        try {
            assertEquals("[\"" + value + "\"]",
                    playwright.run(api.baseUrl() + "/s/" + second + "/", "get-cookie", key, null)
                            .get("cookies").toString(),
                    "the profile on the workspace's disk outlived the first VM");
            anotherVmReachesNeitherDevToolsNorTheAgentOf(second);
        } finally {
            sessions.terminate(second, true);
            deleteWorkspace(ws);
        }
    }

    @Test
    void sixteenMiBGoUpAndDown() throws Exception {
        String id = running("{\"session_type\":\"sandbox\",\"ephemeral\":true}").get("id").asText();
        try {
            Shell shell = new Shell(Map.of("CHASER_API_URL", api.baseUrl(), "CHASER_API_KEY", key, "SID", id));
            String auth = "curl -sS --fail-with-body -H \"Authorization: Bearer $CHASER_API_KEY\" ";
            shell.run("head -c 16777216 /dev/urandom > /tmp/chaser-vm-16m");
            var up = shell
                    .json(auth + "-F path=big/file.bin -F file=@/tmp/chaser-vm-16m $CHASER_API_URL/s/$SID/upload");
            String sha = shell.run("sha256sum /tmp/chaser-vm-16m | cut -d' ' -f1").strip();
            assertEquals(16777216, up.get("size").asLong(), up.toString());
            assertEquals(sha, up.get("sha256").asText());
            assertEquals(sha + "\n", sessions.exec(id, "sha256sum /workspace/big/file.bin | cut -d' ' -f1")
                    .body().get("output").asText(), "the VM's disk holds what was uploaded");
            shell.run(
                    auth + "-o /tmp/chaser-vm-16m.down \"$CHASER_API_URL/v1/sessions/$SID/download?path=big/file.bin\""
                            + " && cmp /tmp/chaser-vm-16m /tmp/chaser-vm-16m.down");
            shell.run("rm -f /tmp/chaser-vm-16m /tmp/chaser-vm-16m.down");
        } finally {
            sessions.terminate(id, true);
        }
    }

    @Test
    void aVmWorkspaceSnapshotsRestoresAndClones() throws Exception {
        String ws = sessions.workspace("sandbox");
        String first = running("{\"session_type\":\"sandbox\",\"workspace\":\"" + ws + "\"}").get("id").asText();
        assertEquals("ok\n",
                sessions.exec(first, "echo v1 > /workspace/state.txt && echo ok").body().get("output").asText());
        var snapshot = api.call("POST", "/v1/workspaces/" + ws + "/snapshots", key, null,
                "{\"name\":\"v1\",\"force\":true}");
        assertEquals(201, snapshot.status(), snapshot.body().toString());
        assertEquals("terminated", sessions.get(first).get("status").asText(),
                "force stopped the VM before the snapshot");
        var clone = api.call("POST", "/v1/workspaces", key, null, "{\"clone_from\":\"" + ws + "\"}");
        assertEquals(201, clone.status(), clone.body().toString());

        String second = running("{\"session_type\":\"sandbox\",\"workspace\":\"" + ws + "\"}").get("id").asText();
        assertEquals("v1\n", sessions.exec(second, "cat /workspace/state.txt; echo v2 > /workspace/state.txt")
                .body().get("output").asText(), "the snapshot's VM disk kept what the stopped VM wrote");
        var restore = api.call("POST", "/v1/workspaces/" + ws + "/snapshots/v1/restore", key, null, "{\"force\":true}");
        assertEquals(200, restore.status(), restore.body().toString());

        String third = running("{\"session_type\":\"sandbox\",\"workspace\":\"" + ws + "\"}").get("id").asText();
        assertEquals("v1\n", sessions.exec(third, "cat /workspace/state.txt").body().get("output").asText(),
                "restore brought back v1 over the v2 the VM wrote");
        assertEquals(200, sessions.terminate(third, false).status());
        String cloned = running("{\"session_type\":\"sandbox\",\"workspace\":\"" + clone.body().get("id").asText()
                + "\"}").get("id").asText();
        assertEquals("v1\n", sessions.exec(cloned, "cat /workspace/state.txt").body().get("output").asText(),
                "the clone boots a VM on a copy of the disk");
        sessions.terminate(cloned, true);
        deleteWorkspace(ws);
        deleteWorkspace(clone.body().get("id").asText());
    }

    @Test
    void aVmOutlivesItsAgentKilledAndIsAdoptedByTheNextOne() throws Exception {
        String id = running("{\"session_type\":\"sandbox\",\"ephemeral\":true}").get("id").asText();
        long qemu = platform.sandboxInit(id);
        assertTrue(ProcessHandle.of(qemu).map(p -> p.info().command().orElse("").contains("qemu")).orElse(false),
                "the sandbox's process is QEMU: " + qemu);
        assertEquals("ok\n", sessions.exec(id, "echo before > /tmp/mark && echo ok").body().get("output").asText());
        platform.kill("vm-agent");
        assertTrue(ProcessHandle.of(qemu).map(ProcessHandle::isAlive).orElse(false), "the VM outlives its agent");
        LocalPlatform.Result up = platform.run("up", "--runtime", "qemu");
        assertEquals(0, up.exit(), up.output());
        var after = Await.until(() -> sessions.exec(id, "cat /tmp/mark"), r -> r.status() == 200, 120,
                "the restarted agent answers for the VM");
        assertEquals("before\n", after.body().get("output").asText(), "the same VM, its memory intact");
        assertEquals(qemu, platform.sandboxInit(id), "adopted, not rebooted");
        assertEquals("running", sessions.get(id).get("status").asText());
        assertEquals(200, sessions.terminate(id, true).status());
        Await.until(() -> ProcessHandle.of(qemu).map(ProcessHandle::isAlive).orElse(false), alive -> !alive, 60,
                "the adopted VM stops on terminate");
    }

    /** DevTools is relayed to the browser VM's address for the host alone: another tenant's VM gets nowhere. */
    private void anotherVmReachesNeitherDevToolsNorTheAgentOf(String browser) throws Exception {
        String address = ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse(""))
                .filter(c -> c.contains("chaser.hostname=sbx-" + browser.substring(0, 8))).findFirst().orElseThrow()
                .replaceAll(".*chaser\\.ip=([0-9.]+)/.*", "$1");
        assertEquals(200, plain("http://" + address + ":9222/json/version", null).statusCode(),
                "the host reaches the browser VM's DevTools (the probe's target is up)");
        String other = running("{\"session_type\":\"sandbox\",\"ephemeral\":true}").get("id").asText();
        try {
            assertEquals(200,
                    api.call("POST", "/v1/sessions/" + other + "/exec", key, null, "{\"command\":\"cd /tmp && exec"
                            + " python3 -m http.server 8002 --bind 127.0.0.1\",\"background\":true}").status());
            String seen = Await.until(
                    () -> sessions.exec(other, PROBE + "127.0.0.1:8002 " + address + ":9222 " + address
                            + ":49983").body().get("output").asText(),
                    out -> out.startsWith("127.0.0.1:8002 open"), 60,
                    "the probing VM's own server answers (the positive control)");
            assertEquals("127.0.0.1:8002 open\n" + address + ":9222 closed\n" + address + ":49983 closed\n", seen,
                    "another VM reaches neither the browser's DevTools nor its agent");
        } finally {
            sessions.terminate(other, true);
        }
    }

    /** Prints "host:port open|closed" for each argument, connecting for at most 3 s. */
    private static final String PROBE = "python3 -c 'import socket,sys\nfor t in sys.argv[1:]:\n h,p=t.split(\":\")\n try:\n"
            + "  socket.create_connection((h,int(p)),3).close(); print(t,\"open\")\n except OSError as e:"
            + " print(t,\"closed\")' ";

    @Test
    void aVmReachesNeitherAnotherVmNorTheHostAndItsAgentWantsTheToken() throws Exception {
        String a = running("{\"session_type\":\"sandbox\",\"ephemeral\":true}").get("id").asText();
        String b = running("{\"session_type\":\"sandbox\",\"ephemeral\":true}").get("id").asText();
        try {
            String addressOfA = sessions.exec(a, "sed -n 's/.*chaser.ip=\\([0-9.]*\\).*/\\1/p' /proc/cmdline")
                    .body().get("output").asText().strip();
            String gatewayOfB = sessions.exec(b, "sed -n 's/.*chaser.gw=\\([0-9.]*\\).*/\\1/p' /proc/cmdline")
                    .body().get("output").asText().strip();
            assertTrue(addressOfA.matches("\\d+\\.\\d+\\.\\d+\\.\\d+"), addressOfA);
            var serving = api.call("POST", "/v1/sessions/" + a + "/exec", key, null,
                    "{\"command\":\"cd /tmp && echo from-a"
                            + " > x && exec python3 -m http.server 8000 --bind 0.0.0.0\",\"background\":true}");
            assertEquals(200, serving.status(), serving.body().toString());
            var served = Await.until(() -> http("/s/" + a + "/forward/8000/x"), r -> r.statusCode() == 200, 90,
                    "A's server answers through forward/ (the probe's target is up)");
            assertEquals("from-a\n", served.body());
            assertEquals(200,
                    api.call("POST", "/v1/sessions/" + b + "/exec", key, null, "{\"command\":\"cd /tmp && echo"
                            + " from-b > x && exec python3 -m http.server 8001\",\"background\":true}").status());
            String probe = PROBE;
            try (var hostPort = new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("0.0.0.0"))) {
                String host = gatewayOfB + ":" + hostPort.getLocalPort();
                try (var fromHost = new java.net.Socket(gatewayOfB, hostPort.getLocalPort())) {
                    assertTrue(fromHost.isConnected(), "the host's listener is on B's gateway address");
                }
                String seen = Await.until(() -> sessions.exec(b, probe + "127.0.0.1:8001 " + addressOfA + ":8000 "
                        + addressOfA + ":49983 " + host).body().get("output").asText(),
                        out -> out.startsWith("127.0.0.1:8001 open"), 60,
                        "B's own server answers its probe (the positive control)");
                assertEquals("127.0.0.1:8001 open\n" + addressOfA + ":8000 closed\n" + addressOfA + ":49983 closed\n"
                        + host + " closed\n", seen, "B reaches neither A's server, A's agent nor the host's port");
            }

            String token = java.nio.file.Files
                    .readString(platform.home.resolve("agent/sandboxes/" + a + "/guest.token")).strip();
            String agentUrl = "http://" + addressOfA + ":49983/v1/stat?path=/workspace";
            assertEquals(401, plain(agentUrl, null).statusCode(), "A's agent refuses a call without its token");
            assertEquals(401, plain(agentUrl, "wrong-" + token).statusCode(), "and with another token");
            assertEquals(200, plain(agentUrl, token).statusCode(), "the token opens it (the positive control)");
        } finally {
            sessions.terminate(a, true);
            sessions.terminate(b, true);
        }
    }

    private java.net.http.HttpResponse<String> http(String path) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(api.baseUrl() + path)).header("Authorization", "Bearer " + key).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    private static java.net.http.HttpResponse<String> plain(String url, String token) throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                .timeout(java.time.Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return java.net.http.HttpClient.newHttpClient().send(request.build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }
}
