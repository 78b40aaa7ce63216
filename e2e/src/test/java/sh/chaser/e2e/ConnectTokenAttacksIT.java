package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Someone who got hold of a connect token (from a URL in a log, a browser's history, a shared
 * screen) tries to do more with it than it was made for: another purpose, a second WebSocket, or
 * anything after the key that made it was revoked. Each attempt fails next to the same token
 * working for what it was made for.
 */
@PlatformHost
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectTokenAttacksIT {

    private Api api;
    private Sessions sessions;
    private String adminKey;
    private String id;
    private String ws;

    @BeforeAll
    void up() throws Exception {
        api = new Api(SharedPlatform.get().apiUrl());
        adminKey = SharedPlatform.credentials().get("CHASER_API_KEY");
        sessions = new Sessions(api, adminKey);
        id = sessions.ephemeralSandbox().get("id").asText();
        assertEquals(200, sessions.exec(id, "echo token-file > /workspace/t.txt").status());
        ws = api.baseUrl().replaceFirst("^http", "ws");
    }

    @AfterAll
    void down() throws Exception {
        if (id != null) {
            sessions.terminate(id, true);
        }
    }

    private Api.Reply mint(String key, String body) throws Exception {
        return api.call("POST", "/v1/sessions/" + id + "/connect-token", key, null, body);
    }

    /** The handshake's status: 101 when the WebSocket opened (it is closed again at once). */
    private static int upgrade(String url) throws Exception {
        try {
            WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(URI.create(url), new WebSocket.Listener() {
                    }).get(30, TimeUnit.SECONDS);
            socket.abort();
            return 101;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw e;
        }
    }

    @Test
    void aTokenLivesAMinuteAtMostAndNamesItsPurpose() throws Exception {
        var minted = mint(adminKey, null);
        assertEquals(201, minted.status(), minted.body().toString());
        assertEquals("pty", minted.body().get("purpose").asText(), "a sandbox's default purpose is its terminal");
        Instant expires = Instant.parse(minted.body().get("expires_at").asText());
        assertTrue(!expires.isAfter(Instant.now().plusSeconds(61)), "the token lives until " + expires);
        var unknown = mint(adminKey, "{\"purpose\":\"everything\"}");
        assertEquals(400, unknown.status(), unknown.body().toString());
        assertEquals("invalid_request", unknown.body().get("error").get("code").asText());
        assertEquals("purpose", unknown.body().get("error").get("field").asText());
    }

    @Test
    void aTokenOpensOnlyItsOwnPurpose() throws Exception {
        String pty = mint(adminKey, "{\"purpose\":\"pty\"}").body().get("token").asText();
        var download = api.get("/s/" + id + "/download?path=t.txt&token=" + pty, null);
        assertEquals(403, download.status(), "a terminal's token downloads files: " + download.body());
        assertEquals("forbidden", download.body().get("error").get("code").asText());
        var exec = api.call("POST", "/s/" + id + "/exec?token=" + pty, null, null, "{\"command\":\"id\"}");
        assertEquals(403, exec.status(), "a connect token runs commands: " + exec.body());
        var another = api.call("POST", "/v1/sessions/" + id + "/connect-token?token=" + pty, null, null, null);
        assertEquals(403, another.status(), "a connect token makes another: " + another.body());
        // positive control: a files token downloads, more than once (plain HTTP does not use it up)
        String files = mint(adminKey, "{\"purpose\":\"files\"}").body().get("token").asText();
        for (int i = 0; i < 2; i++) {
            var got = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/s/" + id
                    + "/download?path=t.txt&token=" + files)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, got.statusCode(), "download " + i + " with a files token: " + got.body());
            assertEquals("token-file\n", got.body());
        }
    }

    @Test
    void aTokenOpensOneWebSocketOnly() throws Exception {
        String t = mint(adminKey, null).body().get("token").asText();
        try (Terminal first = Terminal.open(ws + "/s/" + id + "/pty?mode=agent&token=" + t, Map.of())) {
            first.type("echo first-$((2+3))\n");
            first.await("first-5", 20);
        }
        assertEquals(401, upgrade(ws + "/s/" + id + "/pty?mode=agent&token=" + t),
                "a replayed token opens a second terminal");
    }

    @Test
    void revokingTheKeyEndsEveryTokenItMade() throws Exception {
        var key = api.call("POST", "/v1/api-keys", adminKey, null, "{}").body();
        String secret = key.get("key").asText();
        String before = mint(secret, null).body().get("token").asText();
        String control = mint(secret, null).body().get("token").asText();
        // positive control: a token of the same key, used before the revocation, opens the terminal
        assertEquals(101, upgrade(ws + "/s/" + id + "/pty?mode=agent&token=" + control));
        assertEquals(204, api.call("DELETE", "/v1/api-keys/" + key.get("id").asText(), adminKey, null, null).status());
        assertEquals(401, upgrade(ws + "/s/" + id + "/pty?mode=agent&token=" + before),
                "a token outlives the revocation of its key");
    }
}
