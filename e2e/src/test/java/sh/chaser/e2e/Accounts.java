package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.UUID;

/** Ways to a second account, as a user gets one: sign in, create an organization, make its key. */
final class Accounts {

    private Accounts() {}

    /** The administrator's access token from local sign-in, as {@code ./chaser up} printed the password. */
    static String adminAccessToken(Api api, Map<String, String> admin) throws Exception {
        var login = api.call("POST", "/v1/auth/login", null, null, "{\"email\":\"" + admin.get("CHASER_ADMIN_EMAIL")
                + "\",\"password\":\"" + admin.get("CHASER_ADMIN_PASSWORD") + "\"}");
        assertEquals(200, login.status(), login.body().toString());
        return login.body().get("access_token").asText();
    }

    /** A new organization the administrator owns: its id and a full-access key of it. */
    record Organization(String id, String key) {}

    static Organization organization(Api api, Map<String, String> admin) throws Exception {
        String token = adminAccessToken(api, admin);
        String name = "Other " + UUID.randomUUID().toString().substring(0, 8);
        var org = api.call("POST", "/v1/accounts/organizations", token, null, "{\"name\":\"" + name + "\"}");
        assertEquals(201, org.status(), org.body().toString());
        var key = api.call("POST", "/v1/api-keys", token, name, "{\"name\":\"other\"}");
        assertEquals(201, key.status(), key.body().toString());
        return new Organization(org.body().get("id").asText(), key.body().get("key").asText());
    }

    /** A full-access key of a new organization the administrator owns. */
    static String organizationKey(Api api, Map<String, String> admin) throws Exception {
        return organization(api, admin).key();
    }
}
