package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Idempotency-Key (API.md conventions): a replay returns the first answer without running the request
 * again (one resource, one audit entry), across a restart of the gateway; another request under the
 * key is 422; the key is the caller's own in one account.
 */
@PlatformHost
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdempotencyIT {

    private LocalPlatform platform;
    private Api api;
    private String key;

    @BeforeAll
    void platform() throws Exception {
        platform = SharedPlatform.get();
        api = new Api(platform.apiUrl());
        key = Accounts.organizationKey(api, SharedPlatform.credentials());
    }

    private static Map<String, String> idempotencyKey(String value) {
        return Map.of("Idempotency-Key", value);
    }

    @Test
    void aWorkspaceCreateRunsOnceUnderItsKeyAcrossAGatewayRestart() throws Exception {
        String name = "idem-" + UUID.randomUUID().toString().substring(0, 8);
        String body = "{\"session_type\":\"sandbox\",\"name\":\"" + name + "\"}";
        String k = UUID.randomUUID().toString();
        var first = api.call("POST", "/v1/workspaces", key, null, body, idempotencyKey(k));
        assertEquals(201, first.status(), first.body().toString());
        assertNull(first.header("Idempotent-Replayed"));

        platform.kill("api-gateway");
        var up = platform.run("up");
        assertEquals(0, up.exit(), up.output());
        var replay = api.call("POST", "/v1/workspaces", key, null, body, idempotencyKey(k));
        assertEquals(201, replay.status(), replay.body().toString());
        assertEquals(first.body(), replay.body());
        assertEquals("true", replay.header("Idempotent-Replayed"));
        // the positive control: the same request under a new key reaches the service, which refuses a second one
        var control = api.call("POST", "/v1/workspaces", key, null, body, idempotencyKey(UUID.randomUUID().toString()));
        assertEquals(409, control.status(), control.body().toString());
        assertEquals("workspace_name_taken", Sessions.code(control));

        var other = api.call("POST", "/v1/workspaces", key, null, body.replace(name, name + "-b"), idempotencyKey(k));
        assertEquals(422, other.status(), other.body().toString());
        assertEquals("idempotency_key_reused", Sessions.code(other));
        assertEquals(404, api.get("/v1/workspaces/" + name + "-b", key).status(), "the other request did not run");

        String id = first.body().get("id").asText();
        assertEquals(204, api.call("DELETE", "/v1/workspaces/" + id, key, null, null).status());
        // the delete is recorded after the create: once it is on record, every create of it is too
        Await.until(() -> audit(id, "workspace.delete").size() == 1, 60, "the delete is audited");
        assertEquals(1, audit(id, "workspace.create").size(), "one create is on record");
    }

    @Test
    void sessionAndKeyCreatesReplayTheSameResourceAndTheKeyIsTheCallersOwn() throws Exception {
        String k = UUID.randomUUID().toString();
        String body = "{\"session_type\":\"sandbox\",\"ephemeral\":true}";
        // two at once under one key: one runs, the other waits its turn (409) or gets its answer
        var racing = List.of(
                CompletableFuture.supplyAsync(() -> post("/v1/sessions", key, body, k)),
                CompletableFuture.supplyAsync(() -> post("/v1/sessions", key, body, k)));
        List<Api.Reply> answers = new ArrayList<>();
        for (var r : racing) {
            answers.add(r.get(120, java.util.concurrent.TimeUnit.SECONDS));
        }
        var created = answers.stream().filter(r -> r.status() == 201).findFirst().orElseThrow();
        String session = created.body().get("id").asText();
        for (var r : answers) {
            assertTrue(r.status() == 201 || "idempotency_key_in_progress".equals(Sessions.code(r)),
                    r.body().toString());
        }
        var replay = api.call("POST", "/v1/sessions", key, null, body, idempotencyKey(k));
        assertEquals(201, replay.status(), replay.body().toString());
        assertEquals(session, replay.body().get("id").asText());
        assertEquals(1, sessions().size(), "one session runs");
        var control = api.call("POST", "/v1/sessions", key, null, body);
        assertEquals(201, control.status(), "the same request without the key starts another");
        assertEquals(2, sessions().size());
        new Sessions(api, key).terminate(session, true);
        new Sessions(api, key).terminate(control.body().get("id").asText(), true);

        // the session's key on another route is another request
        String keyBody = "{\"name\":\"idem-key\",\"scopes\":[\"sessions.read\"]}";
        assertEquals(422, api.call("POST", "/v1/api-keys", key, null, keyBody, idempotencyKey(k)).status());
        String k2 = UUID.randomUUID().toString();
        var issued = api.call("POST", "/v1/api-keys", key, null, keyBody, idempotencyKey(k2));
        assertEquals(201, issued.status(), issued.body().toString());
        var again = api.call("POST", "/v1/api-keys", key, null, keyBody, idempotencyKey(k2));
        assertEquals(issued.body(), again.body(), "the same key, secret included, to the same caller");
        long named = api.get("/v1/api-keys", key).body().get("data").findValues("name").stream()
                .filter(n -> n.asText().equals("idem-key")).count();
        assertEquals(1, named, "one key was made");

        // the same Idempotency-Key in another account is another record: no answer of this account leaks
        String elsewhere = Accounts.organizationKey(api, SharedPlatform.credentials());
        var theirs = api.call("POST", "/v1/api-keys", elsewhere, null, keyBody, idempotencyKey(k2));
        assertEquals(201, theirs.status(), theirs.body().toString());
        assertNotEquals(issued.body().get("id"), theirs.body().get("id"));
        assertNull(theirs.header("Idempotent-Replayed"));
    }

    @Test
    void malformedKeysAndRoutesThatRunEachTimeAreRefusedAndReadsIgnoreTheKey() throws Exception {
        var tooLong = api.call("POST", "/v1/workspaces", key, null, "{\"session_type\":\"sandbox\"}",
                idempotencyKey("k".repeat(256)));
        assertEquals(400, tooLong.status());
        assertEquals("Idempotency-Key", tooLong.body().get("error").get("field").asText());
        String session = UUID.randomUUID().toString();
        var exec = api.call("POST", "/v1/sessions/" + session + "/exec", key, null, "{\"command\":\"true\"}",
                idempotencyKey("a"));
        assertEquals(400, exec.status(), exec.body().toString());
        assertEquals("Idempotency-Key", exec.body().get("error").get("field").asText());
        var read = api.call("GET", "/v1/workspaces", key, null, null, idempotencyKey("k".repeat(300)));
        assertEquals(200, read.status(), "a read ignores the header");
    }

    private Api.Reply post(String path, String token, String body, String k) {
        try {
            return api.call("POST", path, token, null, body, idempotencyKey(k));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private List<JsonNode> sessions() throws Exception {
        List<JsonNode> running = new ArrayList<>();
        api.get("/v1/sessions?status=running", key).body().get("data").forEach(running::add);
        return running;
    }

    private List<JsonNode> audit(String resource, String action) throws Exception {
        List<JsonNode> entries = new ArrayList<>();
        api.get("/v1/audit/events?resource_id=" + resource + "&action=" + action, key).body().get("data")
                .forEach(entries::add);
        return entries;
    }
}
