package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/** The foundation's promise: ./chaser up prints a working key, the gateway answers, down stops all. */
@PlatformHost
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalPlatformIT {

    private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private LocalPlatform platform;
    private Map<String, String> printed;
    private String upOutput;

    @BeforeAll
    void up() throws Exception {
        platform = new LocalPlatform();
        LocalPlatform.Result up = platform.run("up");
        assertEquals(0, up.exit(), up.output());
        printed = up.variables();
        upOutput = up.output();
    }

    @AfterAll
    void cleanUp() throws Exception {
        platform.remove();
    }

    @Test
    @Order(1)
    void upPrintsTheApiUrlAndTheFirstAdministratorsCredentials() throws Exception {
        assertEquals(platform.apiUrl(), printed.get("CHASER_API_URL"));
        assertTrue(printed.get("CHASER_API_KEY").matches("sk_[0-9A-Za-z]{43}"), printed.toString());
        assertEquals("admin@chaser.local", printed.get("CHASER_ADMIN_EMAIL"));
        assertTrue(printed.get("CHASER_ADMIN_PASSWORD").length() >= 20);
        var localEnv = platform.home.resolve("local.env");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(localEnv)));
        assertTrue(Files.readString(localEnv).contains("CHASER_API_KEY=" + printed.get("CHASER_API_KEY")));
    }

    @Test
    @Order(1)
    void upWarmsEveryServiceThroughTheGatewayAndCreatesNothing() throws Exception {
        // the warm-up's requests reached the services with the installation's key (none refused) ...
        assertTrue(upOutput.matches("(?s).*warm-up: 39 requests through the gateway in [0-9.]+ s, the first [0-9.]+ s; "
                + "0 refused or failed.*"), upOutput);
        // ... and left nothing: no session, workspace or webhook, no audit entry for one
        String key = "Bearer " + printed.get("CHASER_API_KEY");
        for (String list : List.of("/v1/sessions", "/v1/workspaces", "/v1/webhooks")) {
            HttpResponse<String> r = get(list, key, null);
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(0, json.readTree(r.body()).get("data").size(), list + ": " + r.body());
        }
        HttpResponse<String> audit = get("/v1/audit/events?limit=100", key, null);
        assertEquals(200, audit.statusCode(), audit.body());
        for (JsonNode event : json.readTree(audit.body()).get("data")) {
            String action = event.get("action").asText();
            assertFalse(action.startsWith("session") || action.startsWith("workspace"), audit.body());
            assertEquals("success", event.get("status").asText(), audit.body());
        }
    }

    @Test
    @Order(2)
    void theKeyReadsItsAccountThroughTheGateway() throws Exception {
        HttpResponse<String> r = get("/v1/accounts/current", "Bearer " + printed.get("CHASER_API_KEY"), null);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode account = json.readTree(r.body());
        assertTrue(account.get("id").asText().matches(UUID));
        assertEquals("admin@chaser.local", account.get("name").asText());
        assertEquals("personal", account.get("type").asText());
        assertEquals("owner", account.get("role").asText());
        assertTrue(r.headers().firstValue("X-Request-Id").orElse("").matches(UUID));

        var personal = get("/v1/accounts/current", "Bearer " + printed.get("CHASER_API_KEY"), "personal");
        assertEquals(account.get("id").asText(), json.readTree(personal.body()).get("id").asText());
    }

    @Test
    @Order(3)
    void refusalsComeInTheEnvelope() throws Exception {
        assertError(get("/v1/accounts/current", null, null), 401, "unauthorized");
        String key = printed.get("CHASER_API_KEY");
        String other = key.substring(0, key.length() - 2) + (key.endsWith("zz") ? "yy" : "zz");
        assertError(get("/v1/accounts/current", "Bearer " + other, null), 401, "unauthorized");
        assertError(get("/v1/accounts/current", "Bearer " + key, "Some Other Org"), 403, "account_mismatch");
        assertError(get("/v1/no-such-route", "Bearer " + key, null), 404, "not_found");
    }

    @Test
    @Order(4)
    void statusShowsEveryProcessReady() throws Exception {
        LocalPlatform.Result status = platform.run("status");
        assertEquals(0, status.exit(), status.output());
        for (String process : List.of("kafka", "account-service", "workspace-service", "session-service", "vm-agent",
                "api-gateway")) {
            assertTrue(status.output().lines().anyMatch(l -> l.startsWith(process + " ") && l.endsWith("ready")),
                    process + " not ready:\n" + status.output());
        }
    }

    @Test
    @Order(5)
    void downStopsEveryProcessAndUpKeepsTheData() throws Exception {
        List<Long> pids = pids(platform.run("status").output());
        assertTrue(pids.size() >= 6, "pids: " + pids);

        LocalPlatform.Result down = platform.run("down");
        assertEquals(0, down.exit(), down.output());
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " still runs");
        }
        assertError(get("/v1/accounts/current", "Bearer " + printed.get("CHASER_API_KEY"), null), -1, null);

        LocalPlatform.Result again = platform.run("up");
        assertEquals(0, again.exit(), again.output());
        assertEquals(printed.get("CHASER_API_KEY"), again.variables().get("CHASER_API_KEY"));
        var r = get("/v1/accounts/current", "Bearer " + printed.get("CHASER_API_KEY"), null);
        assertEquals(200, r.statusCode(), r.body());
    }

    private static List<Long> pids(String statusOutput) {
        List<Long> pids = new ArrayList<>();
        statusOutput.lines().skip(1).map(l -> l.trim().split("\\s+")).filter(cols -> cols.length >= 2
                && cols[1].matches("\\d+")).forEach(cols -> pids.add(Long.parseLong(cols[1])));
        return pids;
    }

    /** status -1: the connection itself must be refused (nothing listens any more). */
    private void assertError(HttpResponse<String> r, int status, String code) throws Exception {
        if (status == -1) {
            assertEquals(null, r, "something still answers on " + platform.apiUrl());
            return;
        }
        assertEquals(status, r.statusCode(), r.body());
        JsonNode error = json.readTree(r.body()).get("error");
        assertEquals(code, error.get("code").asText());
        assertFalse(error.get("message").asText().isBlank());
        assertEquals(r.headers().firstValue("X-Request-Id").orElse("missing"), error.get("request_id").asText());
    }

    private HttpResponse<String> get(String path, String authorization, String account) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(platform.apiUrl() + path)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (account != null) {
            request.header("X-Chaser-Account", account);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.net.ConnectException refused) {
            return null;
        }
    }
}
