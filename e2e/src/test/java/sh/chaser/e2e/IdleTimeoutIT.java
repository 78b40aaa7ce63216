package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * An account's idle timeout ends sessions nothing uses (idle_timeout), and none that something
 * uses: a running background command, an open terminal, execs in a row. Sessions created later
 * than the busy ones and left alone are the clock: once one has ended idle, the busy ones have
 * been idle-checked for longer than the timeout.
 */
@PlatformHost
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdleTimeoutIT {

    private static final int TIMEOUT = 4;
    private static final String EPHEMERAL = "{\"session_type\":\"sandbox\",\"ephemeral\":true}";

    private Api api;
    private String adminKey;
    private String token;

    @BeforeAll
    void platform() throws Exception {
        LocalPlatform platform = SharedPlatform.get();
        api = new Api(platform.apiUrl());
        adminKey = SharedPlatform.credentials().get("CHASER_API_KEY");
        token = Accounts.adminAccessToken(api, SharedPlatform.credentials());
    }

    @Test
    void onlySessionsNothingUsesEndIdle() throws Exception {
        String org = api.call("POST", "/v1/accounts/organizations", token, null,
                "{\"name\":\"Idle " + UUID.randomUUID().toString().substring(0, 8) + "\"}").body().get("id").asText();
        var refused = api.call("PATCH", "/v1/admin/accounts/" + org + "/limits", adminKey, null,
                "{\"idle_timeout_seconds\":-1}");
        assertEquals(400, refused.status(), refused.body().toString());
        assertEquals("idle_timeout_seconds", refused.body().get("error").get("field").asText());
        var set = api.call("PATCH", "/v1/admin/accounts/" + org + "/limits", adminKey, null,
                "{\"idle_timeout_seconds\":" + TIMEOUT + "}");
        assertEquals(200, set.status(), set.body().toString());
        assertEquals(TIMEOUT, set.body().get("limits").get("idle_timeout_seconds").asInt());
        String key = api.call("POST", "/v1/api-keys", token, org, "{}").body().get("key").asText();
        Sessions sessions = new Sessions(api, key);

        Sessions unlimited = new Sessions(api, adminKey);
        String untimed = unlimited.ephemeralSandbox().get("id").asText();
        String commanding = sessions.ephemeralSandbox().get("id").asText();
        var command = sessions.execBackground(commanding, "sleep 600");
        assertEquals(200, command.status(), command.body().toString());
        String terminal = sessions.ephemeralSandbox().get("id").asText();
        String execing = sessions.ephemeralSandbox().get("id").asText();
        String ws = api.baseUrl().replaceFirst("^http", "ws") + "/v1/sessions/" + terminal + "/pty?mode=agent";
        try (Terminal open = Terminal.open(ws, Map.of("Authorization", "Bearer " + key))) {
            open.type("echo held\n");
            open.await("held", 20);
            for (int clock = 0; clock < 2; clock++) {
                String idle = sessions.ephemeralSandbox().get("id").asText();
                Await.until(() -> {
                    assertEquals(0, sessions.exec(execing, "true").body().get("exit_code").asInt());
                    return "terminated".equals(sessions.get(idle).get("status").asText());
                }, 90, "a session nothing uses ends");
                assertEquals("idle_timeout", sessions.get(idle).get("termination_reason").asText());
                for (String busy : new String[]{ commanding, terminal, execing }) {
                    assertEquals("running", sessions.get(busy).get("status").asText(), busy + " is in use");
                }
            }
        }
        // the controls: the same sessions end once nothing uses them
        String cid = command.body().get("command_id").asText();
        assertEquals(202, api.call("POST", "/v1/sessions/" + commanding + "/commands/" + cid + "/kill", key, null,
                "{\"signal\":\"KILL\"}").status());
        for (String id : new String[]{ commanding, terminal, execing }) {
            Await.until(() -> "terminated".equals(sessions.get(id).get("status").asText()), 90,
                    "session " + id + " ends once unused");
            JsonNode ended = sessions.get(id);
            assertEquals("idle_timeout", ended.get("termination_reason").asText(), ended.toString());
        }
        // an account without one (the default here) keeps an unused session
        assertEquals("running", unlimited.get(untimed).get("status").asText());
        assertEquals(200, unlimited.terminate(untimed, true).status());
    }
}
