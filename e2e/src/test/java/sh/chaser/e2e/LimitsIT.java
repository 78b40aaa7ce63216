package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Per-account limits set by an operator, enforced on session boot, create, clone and import. */
@PlatformHost
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LimitsIT {

    private Api api;
    private String adminKey;
    private String token;

    @BeforeAll
    void platform() throws Exception {
        LocalPlatform platform = SharedPlatform.get();
        Map<String, String> admin = SharedPlatform.credentials();
        api = new Api(platform.apiUrl());
        adminKey = admin.get("CHASER_API_KEY");
        token = Accounts.adminAccessToken(api, admin);
    }

    /** A new organization with these limits, and a full-access key of it made after they were set. */
    private String[] organization(String limits) throws Exception {
        String id = api.call("POST", "/v1/accounts/organizations", token, null,
                "{\"name\":\"Limited " + UUID.randomUUID().toString().substring(0, 8) + "\"}").body().get("id")
                .asText();
        var set = api.call("PATCH", "/v1/admin/accounts/" + id + "/limits", adminKey, null, limits);
        assertEquals(200, set.status(), set.body().toString());
        assertTrue(set.body().get("custom").asBoolean());
        String key = api.call("POST", "/v1/api-keys", token, id, "{}").body().get("key").asText();
        return new String[]{ id, key };
    }

    private static void assertLimit(Api.Reply r, String limit) {
        assertEquals(403, r.status(), r.body().toString());
        assertEquals("limit_exceeded", r.body().get("error").get("code").asText(), r.body().toString());
        assertEquals(limit, r.body().get("error").get("limit").asText(), r.body().toString());
        assertTrue(r.body().get("error").get("message").asText().startsWith(limit), r.body().toString());
    }

    @Test
    void aLimitOfTwoConcurrentSessionsRefusesTheThird() throws Exception {
        String[] org = organization("{\"concurrent_sessions\":2}");
        String key = org[1];
        Sessions sessions = new Sessions(api, key);
        String first = sessions.ephemeralSandbox().get("id").asText();
        sessions.ephemeralSandbox();
        assertLimit(sessions.create("{\"session_type\":\"sandbox\",\"ephemeral\":true}"), "concurrent_sessions");
        String workspace = sessions.workspace("sandbox");
        assertLimit(sessions.create("{\"session_type\":\"sandbox\",\"workspace\":\"" + workspace + "\"}"),
                "concurrent_sessions");
        assertTrue(api.get("/v1/workspaces/" + workspace, key).body().get("active_session_id").isNull(),
                "the refused boot left the workspace free");
        assertEquals(2, api.get("/v1/sessions?status=running", key).body().get("data").size());

        JsonNode summary = api.get("/v1/billing/summary", key).body();
        assertEquals("custom", summary.get("plan").get("name").asText(), summary.toString());
        assertEquals(2, summary.get("plan").get("limits").get("concurrent_sessions").asInt());
        assertEquals(10L << 30, summary.get("plan").get("limits").get("workspace_storage_bytes").asLong());

        assertEquals(200, sessions.terminate(first, false).status());
        sessions.started("{\"session_type\":\"sandbox\",\"workspace\":\"" + workspace + "\"}");

        // raised: gateways drop the principals they cached when the change's event arrives
        assertEquals(200, api.call("PATCH", "/v1/admin/accounts/" + org[0] + "/limits", adminKey, null,
                "{\"concurrent_sessions\":3}").status());
        Await.until(() -> sessions.create("{\"session_type\":\"sandbox\",\"ephemeral\":true}").status() == 201, 30,
                "a third session is allowed once the limit is 3");
        for (JsonNode s : api.get("/v1/sessions?status=running", key).body().get("data")) {
            sessions.terminate(s.get("id").asText(), true);
        }
    }

    @Test
    void theWorkspaceLimitHoldsOnCreateCloneAndImport() throws Exception {
        String key = organization("{\"workspaces\":1}")[1];
        var first = api.call("POST", "/v1/workspaces", key, null, "{\"session_type\":\"sandbox\"}");
        assertEquals(201, first.status(), first.body().toString());
        assertLimit(api.call("POST", "/v1/workspaces", key, null, "{\"session_type\":\"browser\"}"), "workspaces");
        assertLimit(api.call("POST", "/v1/workspaces", key, null, "{\"clone_from\":\"" + first.body().get("id").asText()
                + "\"}"), "workspaces");
        assertLimit(api.call("POST", "/v1/workspaces/import", key, null, "{\"github_repo\":\"owner/repo\"}"),
                "workspaces");
        assertEquals(1, api.get("/v1/workspaces", key).body().get("data").size(), "nothing was created");
    }

    @Test
    void aWorkspaceOverItsStorageLimitDoesNotBoot() throws Exception {
        String key = organization("{\"workspace_storage_bytes\":1048576}")[1];
        Sessions sessions = new Sessions(api, key);
        String workspace = sessions.workspace("sandbox");
        String id = sessions.started("{\"session_type\":\"sandbox\",\"workspace\":\"" + workspace + "\"}").get("id")
                .asText();
        assertEquals(0, sessions.exec(id, "head -c 2097152 /dev/urandom > /workspace/blob && sync").body()
                .get("exit_code").asInt());
        assertEquals(200, sessions.terminate(id, false).status());
        Await.until(() -> api.get("/v1/workspaces/" + workspace, key).body().get("size_bytes").asLong() > 1048576, 60,
                "the workspace's size is measured");
        assertLimit(sessions.create("{\"session_type\":\"sandbox\",\"workspace\":\"" + workspace + "\"}"),
                "workspace_storage_bytes");
    }

    @Test
    void onlyOperatorsSetLimitsAndBadValuesChangeNothing() throws Exception {
        String[] org = organization("{\"workspaces\":5}");
        // an organization's own automation (a service account with a full-access key) is no operator
        String bot = api.call("POST", "/v1/accounts/current/service-accounts", token, org[0], "{\"name\":\"bot\"}")
                .body().get("id").asText();
        String botKey = api.call("POST", "/v1/accounts/current/service-accounts/" + bot + "/keys", token, org[0], "{}")
                .body().get("key").asText();
        var self = api.call("PATCH", "/v1/admin/accounts/" + org[0] + "/limits", botKey, null, "{\"workspaces\":500}");
        assertEquals(403, self.status(), self.body().toString());
        assertEquals("forbidden", self.body().get("error").get("code").asText());
        for (String bad : new String[]{ "{\"concurrent_sessions\":-1}", "{\"workspaces\":1.5}", "{\"nope\":1}", "{}",
                "{\"workspaces\":\"many\"}" }) {
            var r = api.call("PATCH", "/v1/admin/accounts/" + org[0] + "/limits", adminKey, null, bad);
            assertEquals(400, r.status(), bad + " " + r.body());
            assertEquals("invalid_request", r.body().get("error").get("code").asText());
        }
        var unknown = api.call("PATCH", "/v1/admin/accounts/" + UUID.randomUUID() + "/limits", adminKey, null,
                "{\"workspaces\":1}");
        assertEquals(404, unknown.status());
        assertEquals("account_not_found", unknown.body().get("error").get("code").asText());
        var limits = api.get("/v1/admin/accounts/" + org[0] + "/limits", adminKey).body().get("limits");
        assertEquals(5, limits.get("workspaces").asInt(), "refused changes changed nothing");
        assertEquals(20, limits.get("concurrent_sessions").asInt(), "the installation's default");
    }
}
