package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The way to an organization's key, as API.md section 6 describes it: sign in, select, create. */
@PlatformHost
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrganizationsIT {

    private LocalPlatform platform;
    private Api api;
    private Map<String, String> admin;

    @BeforeAll
    void up() throws Exception {
        platform = SharedPlatform.get();
        admin = SharedPlatform.credentials();
        api = new Api(platform.apiUrl());
    }

    private String signIn() throws Exception {
        var login = api.call("POST", "/v1/auth/login", null, null, "{\"email\":\"" + admin.get("CHASER_ADMIN_EMAIL")
                + "\",\"password\":\"" + admin.get("CHASER_ADMIN_PASSWORD") + "\"}");
        assertEquals(200, login.status(), login.body().toString());
        assertEquals("Bearer", login.body().get("token_type").asText());
        return login.body().get("access_token").asText();
    }

    @Test
    void signInSelectTheOrganizationAndCreateAKeyBoundToIt() throws Exception {
        String token = signIn();
        String org = "Acme " + UUID.randomUUID().toString().substring(0, 8);
        var created = api.call("POST", "/v1/accounts/organizations", token, null, "{\"name\":\"" + org + "\"}");
        assertEquals(201, created.status(), created.body().toString());
        assertEquals("owner", created.body().get("role").asText());

        var selected = api.call("GET", "/v1/accounts/current", token, org, null);
        assertEquals(created.body().get("id").asText(), selected.body().get("id").asText());

        var key = api.call("POST", "/v1/api-keys", token, org, "{\"name\":\"org-ci\"}");
        assertEquals(201, key.status());
        String orgKey = key.body().get("key").asText();
        assertEquals(org, api.get("/v1/accounts/current", orgKey).body().get("name").asText());
        var mismatch = api.call("GET", "/v1/accounts/current", orgKey, "personal", null);
        assertEquals(403, mismatch.status());
        assertEquals("account_mismatch", mismatch.body().get("error").get("code").asText());

        var member = api.call("POST", "/v1/accounts/current/members", token, org,
                "{\"email\":\"bob@example.com\",\"role\":\"admin\"}");
        assertEquals(201, member.status(), member.body().toString());
        var members = api.call("GET", "/v1/accounts/current/members", orgKey, null, null);
        assertEquals(2, members.body().get("data").size());
    }

    @Test
    void accountsOfOthersAreInvisibleAndBadLoginsAreOneAnswer() throws Exception {
        var notMine = api.call("GET", "/v1/accounts/current", signIn(), UUID.randomUUID().toString(), null);
        assertEquals(404, notMine.status());
        assertEquals("account_not_found", notMine.body().get("error").get("code").asText());

        var wrong = api.call("POST", "/v1/auth/login", null, null,
                "{\"email\":\"" + admin.get("CHASER_ADMIN_EMAIL") + "\",\"password\":\"not it\"}");
        assertEquals(401, wrong.status());
        assertEquals("unauthorized", wrong.body().get("error").get("code").asText());
        assertEquals(200, api.get("/v1/auth/jwks", null).status());
    }
}
