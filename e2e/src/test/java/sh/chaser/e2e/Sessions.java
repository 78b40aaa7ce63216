package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;

/** Session calls the session tests share, made through the gateway with one key. */
final class Sessions {

    private final Api api;
    private final String key;

    Sessions(Api api, String key) {
        this.api = api;
        this.key = key;
    }

    Api.Reply create(String body) throws Exception {
        return api.call("POST", "/v1/sessions", key, null, body);
    }

    /** A running session of the given JSON body (201). */
    JsonNode started(String body) throws Exception {
        var r = create(body);
        assertEquals(201, r.status(), r.body().toString());
        assertEquals("running", r.body().get("status").asText(), r.body().toString());
        return r.body();
    }

    JsonNode ephemeralSandbox() throws Exception {
        return started("{\"session_type\":\"sandbox\",\"ephemeral\":true}");
    }

    String workspace(String sessionType) throws Exception {
        var r = api.call("POST", "/v1/workspaces", key, null, "{\"session_type\":\"" + sessionType + "\",\"name\":\"ws-"
                + UUID.randomUUID().toString().substring(0, 8) + "\"}");
        assertEquals(201, r.status(), r.body().toString());
        return r.body().get("name").asText();
    }

    JsonNode get(String id) throws Exception {
        return api.get("/v1/sessions/" + id, key).body();
    }

    Api.Reply terminate(String id, boolean force) throws Exception {
        return api.call("DELETE", "/v1/sessions/" + id + (force ? "?force=true" : ""), key, null, null);
    }

    Api.Reply exec(String id, String command) throws Exception {
        return api.call("POST", "/v1/sessions/" + id + "/exec", key, null,
                "{\"command\":" + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(command) + "}");
    }

    /** {@code background: true}: answers {@code {command_id, pid}} at once. */
    Api.Reply execBackground(String id, String command) throws Exception {
        return api.call("POST", "/v1/sessions/" + id + "/exec", key, null, "{\"background\":true,\"command\":"
                + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(command) + "}");
    }

    /** A session of the given JSON body, once it runs (a create may answer creating): its id. */
    String running(String body) throws Exception {
        var created = create(body);
        org.junit.jupiter.api.Assertions.assertTrue(created.status() == 201 || created.status() == 202,
                created.body().toString());
        String id = created.body().get("id").asText();
        Await.until(() -> get(id), s -> s.get("status").asText().equals("running"), 180, "session " + id + " runs");
        return id;
    }

    /** A foreground command's output, stripped (200 asserted). */
    String output(String id, String command) throws Exception {
        var r = exec(id, command);
        assertEquals(200, r.status(), r.body().toString());
        return r.body().get("output").asText().strip();
    }

    static String code(Api.Reply r) {
        return r.body().path("error").path("code").asText();
    }
}
