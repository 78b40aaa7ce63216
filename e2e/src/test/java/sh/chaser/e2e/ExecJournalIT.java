package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * An exec served on the data plane is audited once, whatever fails after its answer: it is run
 * while session-service is down (the gateway serves a session it located before), then the
 * vm-agent is SIGKILLed before anything could carry the record away; once both are back, the
 * record is in the audit trail, exactly once, with the actor the gateway authenticated (not the
 * one the caller claimed in a header).
 */
@PlatformHost
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExecJournalIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FORGED_ACTOR = "user:00000000-0000-0000-0000-000000000000";
    private final HttpClient http = HttpClient.newHttpClient();
    private LocalPlatform platform;
    private Api api;
    private String key;
    private Sessions sessions;
    private String id;

    @BeforeAll
    void up() throws Exception {
        platform = SharedPlatform.get();
        api = new Api(platform.apiUrl());
        key = SharedPlatform.credentials().get("CHASER_API_KEY");
        sessions = new Sessions(api, key);
        id = sessions.ephemeralSandbox().get("id").asText();
    }

    @AfterAll
    void down() throws Exception {
        if (id == null) {
            return;
        }
        var restarted = platform.run("up");
        assertEquals(0, restarted.exit(), restarted.output());
        sessions.terminate(id, true);
    }

    @Test
    void anExecsRecordOutlivesSessionServiceAndAnAgentCrash() throws Exception {
        // positive control: with everything up, the probe finds the record, under the real actor
        String controlRequest = exec("exit 5");
        JsonNode control = Await.until(() -> audited(controlRequest), found -> found.size() == 1, 60,
                "the exec is audited");
        assertNotNull(control.get(0).get("actor_id").textValue(), control.toString());
        assertNotEquals(FORGED_ACTOR.substring(5), control.get(0).get("actor_id").asText(),
                "the actor is the one the gateway authenticated, not the header the caller sent");
        assertEquals(5, control.get(0).get("metadata").get("exit_code").asInt(), control.toString());

        platform.kill("session-service");
        String journaled = exec("exit 9");
        platform.kill("vm-agent");
        assertEquals(0, audited(journaled).size(), "not recorded while session-service is away");

        var restarted = platform.run("up");
        assertEquals(0, restarted.exit(), restarted.output());
        JsonNode found = Await.until(() -> audited(journaled), f -> f.size() >= 1, 120,
                "the journaled exec reaches the audit trail once the platform is back");
        assertEquals(1, found.size(), "recorded once: " + found);
        assertEquals(9, found.get(0).get("metadata").get("exit_code").asInt(), found.toString());
        assertEquals(control.get(0).get("actor_id").asText(), found.get(0).get("actor_id").asText());
        assertEquals("session.exec", found.get(0).get("action").asText());
    }

    /** Runs a command on the data plane with a forged actor header; its request id. */
    private String exec(String command) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(api.baseUrl() + "/v1/sessions/" + id + "/exec"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .header("X-Chaser-Actor", FORGED_ACTOR)
                .POST(HttpRequest.BodyPublishers.ofString("{\"command\":\"" + command + "\"}")).build();
        HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        String requestId = answer.headers().firstValue("X-Request-Id").orElseThrow();
        assertTrue(answer.body().contains("\"exit_code\":" + command.substring(5)), answer.body());
        return requestId;
    }

    /** The session.exec entries of the session with this request id. */
    private JsonNode audited(String requestId) throws Exception {
        var page = api.get("/v1/audit/events?resource_id=" + id + "&limit=200", key);
        List<JsonNode> matches = new ArrayList<>();
        if (page != null && page.status() == 200) {
            page.body().get("data").forEach(e -> {
                if ("session.exec".equals(e.path("action").asText())
                        && requestId.equals(e.path("metadata").path("request_id").asText())) {
                    matches.add(e);
                }
            });
        }
        return JSON.valueToTree(matches);
    }
}
