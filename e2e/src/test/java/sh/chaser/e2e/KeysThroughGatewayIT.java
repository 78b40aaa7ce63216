package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import sh.chaser.contracts.InternalCallers;

/** API keys through the public API: created once, scoped, refused where they lack scope, revoked. */
@PlatformHost
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeysThroughGatewayIT {

    private LocalPlatform platform;
    private Api api;
    private String adminKey;

    @BeforeAll
    void up() throws Exception {
        platform = SharedPlatform.get();
        adminKey = SharedPlatform.credentials().get("CHASER_API_KEY");
        api = new Api(platform.apiUrl());
    }

    @Test
    void aScopedKeyDoesWhatItsScopesAllowAndNothingElse() throws Exception {
        var created = api.call("POST", "/v1/api-keys", adminKey, null,
                "{\"name\":\"reader\",\"scopes\":[\"sessions.read\"]}");
        assertEquals(201, created.status(), created.body().toString());
        String reader = created.body().get("key").asText();

        assertEquals(200, api.get("/v1/accounts/current", reader).status());
        var refused = api.get("/v1/api-keys", reader);
        assertEquals(403, refused.status());
        assertEquals("insufficient_scope", refused.body().get("error").get("code").asText());
        assertTrue(refused.body().get("error").get("message").asText().contains("keys.read"));

        var listed = api.get("/v1/api-keys", adminKey);
        assertEquals(200, listed.status());
        assertTrue(listed.body().toString().contains(created.body().get("id").asText()));
        assertTrue(!listed.body().toString().contains(reader), "a listed key never shows its secret");
    }

    @Test
    void aRevokedKeyStopsWorkingWithinFiveSeconds() throws Exception {
        var created = api.call("POST", "/v1/api-keys", adminKey, null, "{}");
        String key = created.body().get("key").asText();
        assertEquals(200, api.get("/v1/accounts/current", key).status());

        assertEquals(204, api.call("DELETE", "/v1/api-keys/" + created.body().get("id").asText(), adminKey, null, null)
                .status());
        Instant deadline = Instant.now().plus(Duration.ofSeconds(5));
        int status;
        do {
            status = api.get("/v1/accounts/current", key).status();
        } while (status != 401 && Instant.now().isBefore(deadline));
        assertEquals(401, status, "the revoked key still worked 5 s after revocation");
    }

    @Test
    void theAuditLogShowsMutationsAndRefusals() throws Exception {
        var created = api.call("POST", "/v1/api-keys", adminKey, null, "{\"scopes\":[\"sessions.read\"]}");
        String keyId = created.body().get("id").asText();
        var refused = api.get("/v1/api-keys", created.body().get("key").asText());
        assertEquals(403, refused.status());

        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        boolean createdSeen = false;
        boolean refusalSeen = false;
        while (!(createdSeen && refusalSeen) && Instant.now().isBefore(deadline)) {
            createdSeen = api.get("/v1/audit/events?action=api_key.create&resource_id=" + keyId, adminKey).body()
                    .get("data").size() == 1;
            var refusals = api.get("/v1/audit/events?action=request.refused&status=failure", adminKey).body()
                    .get("data");
            for (var event : refusals) {
                refusalSeen |= refused.requestId().equals(event.get("metadata").get("request_id").asText())
                        && "insufficient_scope".equals(event.get("metadata").get("code").asText());
            }
        }
        assertTrue(createdSeen, "api_key.create not in the audit log");
        assertTrue(refusalSeen, "the refused request is not in the audit log");
    }

    @Test
    void secretsNeverReachTheLogs() throws Exception {
        var created = api.call("POST", "/v1/api-keys", adminKey, null, "{}").body();
        String secret = created.get("key").asText();
        assertEquals(200, api.get("/v1/accounts/current", secret).status());
        api.call("DELETE", "/v1/api-keys/" + created.get("id").asText(), adminKey, null, null);
        Map<String, String> admin = SharedPlatform.credentials();
        try (var logs = java.nio.file.Files.list(platform.home.resolve("logs"))) {
            for (var log : logs.toList()) {
                String text = java.nio.file.Files.readString(log);
                for (String s : List.of(secret, adminKey, admin.get("CHASER_ADMIN_PASSWORD"))) {
                    assertTrue(!text.contains(s), log + " contains a secret");
                }
            }
        }
    }

    @Test
    void servicePortsRefuseRequestsThatDidNotComeThroughTheGateway() throws Exception {
        // plaintext gets no answer at all (the service's port is mutual TLS: InternalPlaneIT)
        assertThrows(IOException.class,
                () -> new Api("http://127.0.0.1:" + (platform.portBase + 1)).get("/v1/accounts/current", adminKey));
        // and even with the gateway's own certificate, a user's key is no internal token
        var request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + (platform.portBase + 1)
                + "/v1/accounts/current")).header("Authorization", "Bearer " + adminKey).build();
        var direct = HttpClient.newBuilder().sslContext(platform.tls(InternalCallers.GATEWAY).sslContext()).build()
                .send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(401, direct.statusCode(), direct.body());
        assertTrue(direct.body().contains("\"unauthorized\""), direct.body());
    }
}
