package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import sh.chaser.gateway.domain.Route;
import sh.chaser.gateway.domain.RouteTable;

/**
 * Every public route against every kind of caller that must be refused: the contract's status and
 * code each time. The routes come from the gateway's own table, so a new route is covered at once.
 */
@PlatformHost
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationMatrixIT {

    private Api api;
    private String adminKey;
    private String accessToken;
    private String orgId;
    private String revokedKey;
    private String scopedKey;
    private String disabledServiceAccountKey;
    private String memberServiceAccountKey;
    private String orgKeyId;
    private String auditKey;

    @BeforeAll
    void callers() throws Exception {
        LocalPlatform platform = SharedPlatform.get();
        Map<String, String> admin = SharedPlatform.credentials();
        api = new Api(platform.apiUrl());
        adminKey = admin.get("CHASER_API_KEY");
        accessToken = Accounts.adminAccessToken(api, admin);

        var revoked = api.call("POST", "/v1/api-keys", adminKey, null, "{}").body();
        revokedKey = revoked.get("key").asText();
        assertEquals(204,
                api.call("DELETE", "/v1/api-keys/" + revoked.get("id").asText(), adminKey, null, null).status());
        // billing.write: only the operators' limits route asks for it, so every other scoped route lacks
        // it; that route is tried with an audit.read key.
        scopedKey = api.call("POST", "/v1/api-keys", adminKey, null, "{\"scopes\":[\"billing.write\"]}").body()
                .get("key").asText();
        auditKey = api.call("POST", "/v1/api-keys", adminKey, null, "{\"scopes\":[\"audit.read\"]}").body()
                .get("key").asText();

        orgId = api.call("POST", "/v1/accounts/organizations", accessToken, null,
                "{\"name\":\"Matrix " + UUID.randomUUID().toString().substring(0, 8) + "\"}").body().get("id").asText();
        var orgKey = api.call("POST", "/v1/api-keys", accessToken, orgId, "{}").body();
        orgKeyId = orgKey.get("id").asText();
        memberServiceAccountKey = serviceAccountKey(false);
        disabledServiceAccountKey = serviceAccountKey(true);
    }

    private String serviceAccountKey(boolean disabled) throws Exception {
        String sa = api.call("POST", "/v1/accounts/current/service-accounts", accessToken, orgId, "{\"name\":\"bot\"}")
                .body().get("id").asText();
        String key = api.call("POST", "/v1/accounts/current/service-accounts/" + sa + "/keys", accessToken, orgId, "{}")
                .body().get("key").asText();
        if (disabled) {
            assertEquals(200, api.call("PATCH", "/v1/accounts/current/service-accounts/" + sa, accessToken, orgId,
                    "{\"disabled\":true}").status());
        }
        return key;
    }

    @Test
    void everyRouteRefusesWhoMustBeRefused() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (Route route : RouteTable.ROUTES) {
            if (route.open()) {
                continue;
            }
            String path = route.template().replaceAll("\\{[^/]+}", UUID.randomUUID().toString());
            String body = route.method().equals("GET") || route.method().equals("DELETE") ? null : "{}";
            check(wrong, route, "no token", api.call(route.method(), path, null, null, body), 401, "unauthorized");
            check(wrong, route, "malformed token", api.call(route.method(), path, "not.a.token", null, body), 401,
                    "unauthorized");
            check(wrong, route, "revoked key", api.call(route.method(), path, revokedKey, null, body), 401,
                    "unauthorized");
            check(wrong, route, "disabled service account",
                    api.call(route.method(), path, disabledServiceAccountKey, null, body), 401, "unauthorized");
            check(wrong, route, "key sent to another account", api.call(route.method(), path, adminKey, orgId, body),
                    403,
                    "account_mismatch");
            check(wrong, route, "account the caller is not in",
                    api.call(route.method(), path, accessToken, UUID.randomUUID().toString(), body), 404,
                    "account_not_found");
            if (route.scope() != null) {
                String lacking = route.scope().equals("billing.write") ? auditKey : scopedKey;
                check(wrong, route, "missing scope", api.call(route.method(), path, lacking, null, body), 403,
                        "insufficient_scope");
            }
        }
        assertTrue(wrong.isEmpty(), wrong.size() + " wrong answers:\n" + String.join("\n", wrong));
    }

    @Test
    void aMemberCannotDoAnAdminsActs() throws Exception {
        List<String> wrong = new ArrayList<>();
        String someone = UUID.randomUUID().toString();
        for (String[] act : List.of(
                new String[]{ "POST", "/v1/accounts/current/members",
                        "{\"email\":\"x@example.com\",\"role\":\"member\"}" },
                new String[]{ "PATCH", "/v1/accounts/current/members/" + someone, "{\"role\":\"admin\"}" },
                new String[]{ "DELETE", "/v1/accounts/current/members/" + someone, null },
                new String[]{ "GET", "/v1/accounts/current/service-accounts", null },
                new String[]{ "POST", "/v1/accounts/current/service-accounts", "{\"name\":\"x\"}" },
                new String[]{ "GET", "/v1/audit/events", null },
                new String[]{ "POST", "/v1/webhooks", "{\"url\":\"http://127.0.0.1:9/x\",\"events\":[\"*\"]}" },
                new String[]{ "DELETE", "/v1/webhooks/" + someone, null })) {
            var r = api.call(act[0], act[1], memberServiceAccountKey, null, act[2]);
            if (r.status() != 403 || !"forbidden".equals(r.body().get("error").get("code").asText())) {
                wrong.add(act[0] + " " + act[1] + " -> " + r.status() + " " + r.body());
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void anotherAccountsResourceIsNotFound() throws Exception {
        var r = api.call("DELETE", "/v1/api-keys/" + orgKeyId, adminKey, null, null);
        assertEquals(404, r.status());
        assertEquals("api_key_not_found", r.body().get("error").get("code").asText());
    }

    private static void check(List<String> wrong, Route route, String who, Api.Reply r, int status, String code) {
        String got = r == null ? "no answer" : r.status() + " " + r.body().path("error").path("code").asText();
        if (r == null || r.status() != status || !code.equals(r.body().path("error").path("code").asText())
                || r.requestId() == null || !r.requestId().equals(r.body().path("error").path("request_id").asText())) {
            wrong.add(route.method() + " " + route.template() + " [" + who + "]: expected " + status + " " + code
                    + ", got " + got);
        }
    }
}
