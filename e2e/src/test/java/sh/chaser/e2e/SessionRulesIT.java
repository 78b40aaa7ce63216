package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The create rules of the seeds and API.md section 3, through the gateway: every refusal and every way in. */
@PlatformHost
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionRulesIT {

    private Api api;
    private String key;
    private Sessions sessions;

    @BeforeAll
    void up() throws Exception {
        LocalPlatform platform = SharedPlatform.get();
        api = new Api(platform.apiUrl());
        key = SharedPlatform.credentials().get("CHASER_API_KEY");
        sessions = new Sessions(api, key);
    }

    private record Refusal(String body, int status, String code, String field) {}

    /**
     * An image whose registry refuses connections fails the create in its own answer with its own
     * code, not 201 creating and a failure later (an agent's UNAVAILABLE answer was once taken for an
     * unreachable host). The session is kept, terminated with boot_failed, as every failed create.
     */
    @Test
    void anImageWhoseRegistryCannotBeReachedFailsTheCreateWithItsCode() throws Exception {
        int closed;
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        String image = "127.0.0.1:" + closed + "/nothing/here:1";
        var created = api.call("POST", "/v1/sessions", key, null,
                "{\"session_type\":\"sandbox\",\"ephemeral\":true,\"image\":\"" + image + "\"}");
        assertEquals(502, created.status(), created.body().toString());
        assertEquals("image_pull_failed", created.body().get("error").get("code").asText(), created.body().toString());
        assertTrue(created.body().get("error").get("message").asText().contains(image), created.body().toString());
        var listed = api.get("/v1/sessions?status=terminated", key).body().get("data");
        boolean kept = false;
        for (var session : listed) {
            kept |= image.equals(session.path("image").asText())
                    && "boot_failed".equals(session.path("termination_reason").asText());
        }
        assertTrue(kept, "the failed create is listed as terminated with boot_failed: " + listed);
    }

    @Test
    void everyRefusalHasItsCodeAndChangesNothing() throws Exception {
        String sandboxWs = sessions.workspace("sandbox");
        String browserWs = sessions.workspace("browser");
        // a workspace named like another's id: the selector is ambiguous
        String firstId = api.get("/v1/workspaces/" + sandboxWs, key).body().get("id").asText();
        assertEquals(201, api.call("POST", "/v1/workspaces", key, null, "{\"session_type\":\"sandbox\",\"name\":\""
                + firstId + "\"}").status());
        List<Refusal> matrix = List.of(
                new Refusal("{}", 400, "invalid_request", "session_type"),
                new Refusal("{\"session_type\":\"desktop\",\"ephemeral\":true}", 400, "invalid_request",
                        "session_type"),
                new Refusal("{\"session_type\":\"sandbox\"}", 400, "invalid_request", "workspace"),
                new Refusal("{\"session_type\":\"browser\",\"ephemeral\":false}", 400, "invalid_request", "workspace"),
                new Refusal("{\"session_type\":\"sandbox\",\"ephemeral\":true,\"workspace\":\"" + sandboxWs + "\"}",
                        400,
                        "invalid_request", "workspace"),
                new Refusal("{\"session_type\":\"browser\",\"ephemeral\":true,\"image\":\"debian\"}", 400,
                        "invalid_request", "image"),
                new Refusal("{\"session_type\":\"browser\",\"workspace\":\"" + browserWs + "\",\"image\":\"debian\"}",
                        400,
                        "invalid_request", "image"),
                new Refusal("{\"session_type\":\"sandbox\",\"workspace\":\"" + sandboxWs + "\",\"image\":\"debian\"}",
                        400,
                        "invalid_request", "image"),
                new Refusal("{\"session_type\":\"sandbox\",\"ephemeral\":true,\"env\":{\"1BAD\":\"x\"}}", 400,
                        "invalid_request", "env"),
                new Refusal("{\"session_type\":\"sandbox\",\"ephemeral\":true,\"runtime\":\"warp\"}", 400,
                        "invalid_request", "runtime"),
                // a runtime no host of this installation offers (its agent runs namespaces)
                new Refusal("{\"session_type\":\"sandbox\",\"ephemeral\":true,\"runtime\":\"qemu\"}", 400,
                        "invalid_request", "runtime"),
                new Refusal(
                        "{\"session_type\":\"sandbox\",\"workspace\":\"" + sandboxWs
                                + "\",\"runtime\":\"firecracker\"}",
                        400, "invalid_request", "runtime"),
                new Refusal("{\"session_type\":\"browser\",\"workspace\":\"" + sandboxWs + "\"}", 409,
                        "session_type_mismatch", null),
                new Refusal("{\"session_type\":\"sandbox\",\"workspace\":\"" + browserWs + "\"}", 409,
                        "session_type_mismatch", null),
                new Refusal("{\"session_type\":\"sandbox\",\"workspace\":\"no-such-workspace\"}", 404,
                        "workspace_not_found", null),
                new Refusal("{\"session_type\":\"sandbox\",\"workspace\":\"" + firstId + "\"}", 409,
                        "workspace_name_ambiguous", null));
        int before = api.get("/v1/sessions?limit=500", key).body().get("data").size();
        for (Refusal case_ : matrix) {
            var r = sessions.create(case_.body());
            assertEquals(case_.status(), r.status(), case_.body() + " -> " + r.body());
            assertEquals(case_.code(), Sessions.code(r), case_.body());
            if (case_.field() != null) {
                assertEquals(case_.field(), r.body().get("error").get("field").asText(), case_.body());
            }
            assertTrue(r.requestId() != null && !r.requestId().isEmpty());
        }
        assertEquals(before, api.get("/v1/sessions?limit=500", key).body().get("data").size(),
                "a refusal created a session");
        assertTrue(api.get("/v1/workspaces/" + browserWs, key).body().get("active_session_id").isNull());
    }

    @Test
    void everyWayInBootsARunningSessionWithItsEndpoints() throws Exception {
        // positive control for the runtime refusals: the runtime the host offers is placed
        var named = sessions.started("{\"session_type\":\"sandbox\",\"ephemeral\":true,\"runtime\":\"namespace\"}");
        assertEquals("namespace", named.get("runtime").asText());
        assertEquals(200, sessions.terminate(named.get("id").asText(), false).status());
        var ephemeral = sessions.ephemeralSandbox();
        assertTrue(ephemeral.get("ephemeral").asBoolean());
        assertTrue(ephemeral.get("workspace_id").isNull());
        assertEquals("namespace", ephemeral.get("runtime").asText());
        assertFalse(ephemeral.get("host").asText().isEmpty());
        assertFalse(ephemeral.get("running_at").isNull());
        assertEquals(0, ephemeral.get("active_connection_leases").asInt());
        String id = ephemeral.get("id").asText();
        assertEquals(api.baseUrl() + "/s/" + id + "/", ephemeral.get("endpoints").get("path").asText());
        assertTrue(ephemeral.get("endpoints").get("control").asText().matches("http://" + id + "\\.localhost:\\d+/"),
                ephemeral.toString());

        String ws = sessions.workspace("sandbox");
        var first = sessions.started("{\"session_type\":\"sandbox\",\"workspace\":\"" + ws + "\"}");
        String wsId = first.get("workspace_id").asText();
        assertFalse(first.get("ephemeral").asBoolean());
        // create is idempotent per workspace: by name in another case, or by id, the same session (200)
        for (String selector : List.of(ws.toUpperCase(), wsId)) {
            var again = sessions.create("{\"session_type\":\"sandbox\",\"workspace\":\"" + selector + "\"}");
            assertEquals(200, again.status(), again.body().toString());
            assertEquals(first.get("id").asText(), again.body().get("id").asText());
        }
        assertEquals(first.get("id").asText(),
                api.get("/v1/workspaces/" + ws, key).body().get("active_session_id").asText());

        var browser = sessions
                .started("{\"session_type\":\"browser\",\"workspace\":\"" + sessions.workspace("browser") + "\"}");
        assertEquals("browser", browser.get("session_type").asText());
        var browserEphemeral = sessions.started("{\"session_type\":\"browser\",\"ephemeral\":true}");
        assertTrue(browserEphemeral.get("workspace_id").isNull());

        // filters
        var running = api.get("/v1/sessions?status=running&session_type=browser&limit=500", key).body().get("data");
        running.forEach(s -> assertEquals("browser", s.get("session_type").asText()));
        var byWorkspace = api.get("/v1/sessions?workspace=" + ws, key).body().get("data");
        assertEquals(1, byWorkspace.size());
        assertEquals(first.get("id").asText(), byWorkspace.get(0).get("id").asText());
        assertEquals("invalid_request", Sessions.code(api.get("/v1/sessions?status=sleeping", key)));
        assertEquals(200, api.get("/v1/sessions?status=paused", key).status(), "paused is a status (issue 30)");
        for (var s : List.of(ephemeral, first, browser, browserEphemeral)) {
            assertEquals(200, sessions.terminate(s.get("id").asText(), false).status());
        }
    }

    @Test
    void listsPageWithACursor() throws Exception {
        for (int i = 0; i < 3; i++) {
            sessions.terminate(sessions.ephemeralSandbox().get("id").asText(), false);
        }
        var page1 = api.get("/v1/sessions?limit=2", key).body();
        assertEquals(2, page1.get("data").size());
        String cursor = page1.get("next_cursor").asText();
        var page2 = api.get("/v1/sessions?limit=2&cursor=" + cursor, key).body();
        assertFalse(page2.get("data").get(0).get("id").asText().equals(page1.get("data").get(1).get("id").asText()));
        assertTrue(page1.get("data").get(1).get("created_at").asText()
                .compareTo(page2.get("data").get(0).get("created_at").asText()) >= 0);
        assertEquals("invalid_request", Sessions.code(api.get("/v1/sessions?cursor=garbage", key)));
    }

    @Test
    void anotherAccountsSessionsAreInvisible() throws Exception {
        String id = sessions.ephemeralSandbox().get("id").asText();
        String other = Accounts.organizationKey(api, SharedPlatform.credentials());
        for (var r : List.of(api.get("/v1/sessions/" + id, other),
                api.call("DELETE", "/v1/sessions/" + id + "?force=true", other, null, null),
                api.call("POST", "/v1/sessions/" + id + "/exec", other, null, "{\"command\":\"true\"}"),
                api.get("/s/" + id + "/", other))) {
            assertEquals(404, r.status(), r.body().toString());
            assertEquals("session_not_found", Sessions.code(r));
        }
        // an id that is no UUID on the data plane's routes: answered, not left hanging (it was: the gateway
        // threw before answering and the client waited for ever)
        for (String notAnId : List.of("none", "x" + id.substring(1), id + "x")) {
            for (var r : List.of(api.call("POST", "/v1/sessions/" + notAnId + "/exec", other, null,
                    "{\"command\":\"true\"}"), api.get("/v1/sessions/" + notAnId + "/commands", other))) {
                assertEquals(404, r.status(), notAnId + ": " + r.body());
                assertEquals("session_not_found", Sessions.code(r));
            }
        }
        for (var s : api.get("/v1/sessions?limit=500", other).body().get("data")) {
            assertFalse(s.get("id").asText().equals(id));
        }
        var bulk = api.call("POST", "/v1/sessions/bulk-terminate", other, null, "{\"ids\":[\"" + id + "\"]}").body();
        assertEquals(0, bulk.get("terminated").size());
        assertEquals("session_not_found", bulk.get("failed").get(0).get("code").asText());
        var all = api.call("POST", "/v1/sessions/bulk-terminate", other, null, "{\"all\":true}").body();
        assertEquals(0, all.get("terminated").size());
        assertEquals("running", sessions.get(id).get("status").asText());
        // the other account cannot lock this account's workspace either
        String ws = sessions.workspace("sandbox");
        var foreign = api.call("POST", "/v1/sessions", other, null,
                "{\"session_type\":\"sandbox\",\"workspace\":\"" + ws + "\"}");
        assertEquals(404, foreign.status());
        assertEquals("workspace_not_found", Sessions.code(foreign));
        sessions.terminate(id, false);
    }

    @Test
    void bulkTerminateByIdsWorkspacesAndAll() throws Exception {
        String a = sessions.ephemeralSandbox().get("id").asText();
        String b = sessions.ephemeralSandbox().get("id").asText();
        String ws = sessions.workspace("sandbox");
        String c = sessions.started("{\"session_type\":\"sandbox\",\"workspace\":\"" + ws + "\"}").get("id").asText();
        String d = sessions.started("{\"session_type\":\"browser\",\"ephemeral\":true}").get("id").asText();
        String missing = UUID.randomUUID().toString();
        var r = api.call("POST", "/v1/sessions/bulk-terminate", key, null, "{\"ids\":[\"" + a + "\",\"" + missing
                + "\"],\"workspaces\":[\"" + ws + "\"]}");
        assertEquals(200, r.status(), r.body().toString());
        var terminated = new java.util.HashSet<String>();
        r.body().get("terminated").forEach(n -> terminated.add(n.asText()));
        assertEquals(java.util.Set.of(a, c), terminated);
        assertEquals(missing, r.body().get("failed").get(0).get("id").asText());
        assertEquals("terminated", sessions.get(c).get("status").asText());
        Await.until(() -> api.get("/v1/workspaces/" + ws, key).body().get("active_session_id").isNull(), 20,
                "the workspace is released");

        var sandboxesOnly = api.call("POST", "/v1/sessions/bulk-terminate", key, null,
                "{\"all\":true,\"session_type\":\"sandbox\"}").body();
        assertTrue(sandboxesOnly.get("terminated").toString().contains(b));
        assertEquals("running", sessions.get(d).get("status").asText());
        assertEquals("terminated", sessions.get(b).get("status").asText());
        assertEquals("user", sessions.get(b).get("termination_reason").asText());
        assertEquals("invalid_request",
                Sessions.code(api.call("POST", "/v1/sessions/bulk-terminate", key, null, "{}")));
        sessions.terminate(d, false);
    }

    @Test
    void aBodyWithoutTheJsonContentTypeIsRefusedSayingSo() throws Exception {
        Shell shell = new Shell(Map.of("KEY", key, "API", api.baseUrl()));
        // curl -d sends application/x-www-form-urlencoded unless told otherwise
        var refused = shell.json("curl -s -H \"Authorization: Bearer $KEY\" $API/v1/sessions"
                + " -d '{\"session_type\":\"sandbox\",\"ephemeral\":true}'");
        assertEquals("invalid_request", refused.get("error").get("code").asText());
        assertTrue(refused.get("error").get("message").asText().contains("Content-Type: application/json"),
                refused.toString());
    }

    @Test
    void controlEndpointsAnswerWithTheSessionsIdentity() throws Exception {
        var s = sessions.ephemeralSandbox();
        String id = s.get("id").asText();
        Shell shell = new Shell(Map.of("KEY", key, "CONTROL", s.get("endpoints").get("control").asText(),
                "PATHSTYLE", s.get("endpoints").get("path").asText()));
        for (String url : List.of("$CONTROL", "$PATHSTYLE")) {
            var identity = shell.json("curl -sf -H \"Authorization: Bearer $KEY\" " + url);
            assertEquals(id, identity.get("session_id").asText());
            assertEquals("running", identity.get("status").asText());
            assertEquals("sandbox", identity.get("session_type").asText());
        }
        assertEquals("401", shell.run("curl -s -o /dev/null -w '%{http_code}' $CONTROL").trim());
        assertEquals("404", shell.run("curl -s -o /dev/null -w '%{http_code}' -H \"Authorization: Bearer $KEY\" "
                + api.baseUrl() + "/s/" + UUID.randomUUID() + "/").trim());
        sessions.terminate(id, false);
        assertEquals("terminated",
                shell.json("curl -sf -H \"Authorization: Bearer $KEY\" $PATHSTYLE").get("status").asText());
    }
}
