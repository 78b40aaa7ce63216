package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Browser sessions driven by Playwright ({@code playwright-core}, installed with npm) over CDP
 * through the gateway, with the API key header: pages, script, screenshots, a profile that outlives
 * its session, leases, another account shut out, and a browser that dies.
 */
@PlatformHost
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private Api api;
    private String key;
    private Sessions sessions;
    private PlaywrightClient client;

    @BeforeAll
    void up() throws Exception {
        LocalPlatform platform = SharedPlatform.get();
        api = new Api(platform.apiUrl());
        key = SharedPlatform.credentials().get("CHASER_API_KEY");
        sessions = new Sessions(api, key);
        client = new PlaywrightClient(90);
    }

    @Test
    void playwrightOpensAPageEvaluatesScriptAndTakesAScreenshot() throws Exception {
        JsonNode browser = sessions.started("{\"session_type\":\"browser\",\"ephemeral\":true}");
        String id = browser.get("id").asText();
        try {
            String cdp = browser.get("endpoints").get("cdp").asText();
            assertTrue(cdp.matches("ws://.+/s/" + id + "/devtools/browser"), cdp);
            for (String endpoint : new String[]{ api.baseUrl() + "/s/" + id + "/", cdp,
                    api.baseUrl() + "/v1/sessions/" + id + "/" }) {
                JsonNode seen = playwright(endpoint, "page", key, null);
                assertEquals("Hello from Chaser", seen.get("title").asText(), endpoint);
                assertEquals("hi:42", seen.get("evaluated").asText());
                assertEquals("89504e470d0a1a0a", seen.get("pngSignature").asText(), "a PNG");
                assertTrue(seen.get("pngBytes").asInt() > 1000, seen.toString());
            }
            var version = api.get("/s/" + id + "/json/version", key);
            assertEquals(200, version.status());
            String ws = version.body().get("webSocketDebuggerUrl").asText();
            assertTrue(ws.startsWith(api.baseUrl().replaceFirst("^http", "ws") + "/s/" + id + "/devtools/browser/"),
                    ws);
            var list = api.get("/v1/sessions/" + id + "/json/list", key);
            assertEquals(200, list.status());
            for (var target : list.body()) {
                assertTrue(
                        target.get("webSocketDebuggerUrl").asText().contains("/v1/sessions/" + id + "/devtools/page/"),
                        target.toString());
            }
            var opened = api.call("PUT", "/s/" + id + "/json/new?about:blank", key, null, null);
            assertEquals(200, opened.status(), opened.body().toString());
            assertTrue(opened.body().get("webSocketDebuggerUrl").asText().contains("/s/" + id + "/devtools/page/"),
                    opened.body().toString());
            var withToken = api.get("/s/" + id + "/json/version?connect_token=true", key);
            assertTrue(withToken.body().get("webSocketDebuggerUrl").asText().contains("?token=ct_"),
                    withToken.body().toString());
        } finally {
            sessions.terminate(id, true);
        }
    }

    @Test
    void anOpenCdpConnectionHoldsALease() throws Exception {
        String id = sessions.started("{\"session_type\":\"browser\",\"ephemeral\":true}").get("id").asText();
        Process hold = start(api.baseUrl() + "/s/" + id + "/", "hold", key, null);
        try (var lines = new BufferedReader(new InputStreamReader(hold.getInputStream(), StandardCharsets.UTF_8))) {
            assertTrue(lines.readLine().contains("connected"));
            assertTrue(sessions.get(id).get("active_connection_leases").asInt() >= 1);
            var refused = sessions.terminate(id, false);
            assertEquals(409, refused.status());
            assertEquals("session_has_active_leases", Sessions.code(refused));
            hold.getOutputStream().close();
            assertEquals(0, hold.waitFor() == 0 ? 0 : 1, "the client disconnects cleanly");
        } finally {
            hold.destroyForcibly();
        }
        Await.until(() -> sessions.get(id).get("active_connection_leases").asInt() == 0, 30,
                "the CDP lease is released");
        assertEquals(200, sessions.terminate(id, false).status());
    }

    @Test
    void cookiesOfAWorkspaceBackedBrowserSurviveItsSession() throws Exception {
        String ws = sessions.workspace("browser");
        String value = UUID.randomUUID().toString();
        String first = sessions.started("{\"session_type\":\"browser\",\"workspace\":\"" + ws + "\"}").get("id")
                .asText();
        JsonNode set = playwright(api.baseUrl() + "/s/" + first + "/", "set-cookie", key, value);
        assertEquals(value, set.get("set").get(0).asText());
        Await.until(() -> sessions.get(first).get("active_connection_leases").asInt() == 0, 30,
                "the lease is released");
        assertEquals(200, sessions.terminate(first, false).status());
        Await.until(() -> api.get("/v1/workspaces/" + ws, key).body().get("active_session_id").isNull(), 30,
                "the workspace is free again");

        String second = sessions.started("{\"session_type\":\"browser\",\"workspace\":\"" + ws + "\"}").get("id")
                .asText();
        try {
            assertNotEquals(first, second);
            JsonNode got = playwright(api.baseUrl() + "/s/" + second + "/", "get-cookie", key, null);
            assertEquals("[\"" + value + "\"]", got.get("cookies").toString(),
                    "the cookie is in the new session's browser");
        } finally {
            sessions.terminate(second, true);
        }
        // an ephemeral browser starts clean
        String clean = sessions.started("{\"session_type\":\"browser\",\"ephemeral\":true}").get("id").asText();
        try {
            assertEquals("[]",
                    playwright(api.baseUrl() + "/s/" + clean + "/", "get-cookie", key, null).get("cookies").toString());
        } finally {
            sessions.terminate(clean, true);
        }
    }

    @Test
    void aCookieSetJustBeforeAForcedTerminateIsInTheNextSession() throws Exception {
        String ws = sessions.workspace("browser");
        String value = UUID.randomUUID().toString();
        String first = sessions.started("{\"session_type\":\"browser\",\"workspace\":\"" + ws + "\"}").get("id")
                .asText();
        Process hold = start(api.baseUrl() + "/s/" + first + "/", "set-cookie-hold", key, value);
        try (var lines = new BufferedReader(new InputStreamReader(hold.getInputStream(), StandardCharsets.UTF_8))) {
            String line = lines.readLine();
            assertTrue(line != null && line.contains(value), "the cookie is set: " + line);
            assertTrue(sessions.get(first).get("active_connection_leases").asInt() >= 1, "the client holds a lease");
            // force overrides the open connection, not the browser's orderly shutdown
            var forced = sessions.terminate(first, true);
            assertEquals(200, forced.status(), forced.body().toString());
            assertEquals("forced", forced.body().get("termination_reason").asText());
        } finally {
            hold.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        Await.until(() -> api.get("/v1/workspaces/" + ws, key).body().get("active_session_id").isNull(), 30,
                "the workspace is free again");
        String second = sessions.started("{\"session_type\":\"browser\",\"workspace\":\"" + ws + "\"}").get("id")
                .asText();
        try {
            JsonNode got = playwright(api.baseUrl() + "/s/" + second + "/", "get-cookie", key, null);
            assertEquals("[\"" + value + "\"]", got.get("cookies").toString(),
                    "the cookie survived the forced terminate");
        } finally {
            sessions.terminate(second, true);
        }
    }

    @Test
    void anotherAccountCannotReachTheBrowser() throws Exception {
        String id = sessions.started("{\"session_type\":\"browser\",\"ephemeral\":true}").get("id").asText();
        try {
            String other = Accounts.organizationKey(api, SharedPlatform.credentials());
            var version = api.get("/s/" + id + "/json/version", other);
            assertEquals(404, version.status());
            assertEquals("session_not_found", Sessions.code(version));
            Process denied = start(api.baseUrl() + "/s/" + id + "/", "page", other, null);
            assertTrue(denied.waitFor(60, TimeUnit.SECONDS));
            assertNotEquals(0, denied.exitValue(), "Playwright cannot connect with another account's key");
            // and a sandbox has no DevTools
            String sandbox = sessions.ephemeralSandbox().get("id").asText();
            var none = api.get("/s/" + sandbox + "/json/version", key);
            assertEquals(400, none.status());
            assertEquals("unsupported_for_session_type", Sessions.code(none));
            sessions.terminate(sandbox, true);
        } finally {
            sessions.terminate(id, true);
        }
    }

    @Test
    void aBrowserWhoseChromiumDiesIsReportedEnded() throws Exception {
        String id = sessions.started("{\"session_type\":\"browser\",\"ephemeral\":true}").get("id").asText();
        long bwrap = SharedPlatform.get().sandboxInit(id);
        String children = Files.readString(Path.of("/proc/" + bwrap + "/task/" + bwrap + "/children")).trim();
        assertTrue(!children.isEmpty(), "Chromium runs under the sandbox's init");
        int killed = 0;
        for (String pid : children.split(" ")) {
            String comm;
            try {
                comm = Files.readString(Path.of("/proc/" + pid + "/comm")).strip();
            } catch (java.nio.file.NoSuchFileException gone) {
                continue; // a short-lived child that ended between the listing and now
            }
            if ("chromium".equals(comm)) {
                new ProcessBuilder("kill", "-9", pid).inheritIO().start().waitFor();
                killed++;
            }
        }
        assertEquals(1, killed, "one Chromium browser process under the sandbox's init");
        JsonNode ended = Await.until(() -> sessions.get(id), s -> s.get("status").asText().equals("terminated"), 30,
                "the session ends when its browser dies");
        assertEquals("vm_exited", ended.get("termination_reason").asText());
    }

    private JsonNode playwright(String endpoint, String action, String apiKey, String cookie) throws Exception {
        return client.run(endpoint, action, apiKey, cookie);
    }

    private Process start(String endpoint, String action, String apiKey, String cookie) throws Exception {
        return client.start(endpoint, action, apiKey, cookie);
    }
}
