package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The shared platform runs every service replicated ({@code ./chaser up --replicas 2}, the whole
 * suite runs against it). Here: each gateway instance serves the same credentials, and a rolling
 * restart (one instance of every service stopped as Kubernetes stops a pod, then the other) keeps
 * the API working for a user throughout.
 */
@PlatformHost
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplicasIT {

    private static final List<String> SERVICES = List.of("account-service", "workspace-service", "session-service",
            "api-gateway");

    private LocalPlatform platform;
    private Api api;
    private String key;

    @BeforeAll
    void up() throws Exception {
        platform = SharedPlatform.get();
        Map<String, String> printed = SharedPlatform.credentials();
        api = new Api(printed.get("CHASER_API_URL"));
        key = printed.get("CHASER_API_KEY");
    }

    @Test
    void statusListsEveryInstanceAndEachGatewayInstanceServesTheApi() throws Exception {
        int replicas = Integer.parseInt(SharedPlatform.REPLICAS);
        var status = platform.run("status");
        assertEquals(0, status.exit(), status.output());
        for (String service : SERVICES) {
            for (int i = 1; i <= replicas; i++) {
                assertTrue(status.output().matches("(?s).*\\n" + service + "-" + i + " +\\d+ +\\d+ +ready\\n.*"),
                        service + "-" + i + " ready in\n" + status.output());
            }
        }
        assertTrue(status.output().contains("balancer"), status.output());
        for (int i = 1; i <= replicas; i++) {
            var instance = new Api("http://127.0.0.1:" + (platform.portBase + 10 * i));
            var me = instance.get("/v1/accounts/current", key);
            assertEquals(200, me.status(), "gateway instance " + i + ": " + me.body());
        }
    }

    @Test
    void aRollingRestartOfEveryServiceKeepsTheApiWorking() throws Exception {
        var sessions = new Sessions(api, key);
        String before = sessions.ephemeralSandbox().get("id").asText();
        for (int i = 1; i <= Integer.parseInt(SharedPlatform.REPLICAS); i++) {
            for (String service : SERVICES) {
                platform.terminate(service + "-" + i);
            }
            // with instance i of every service gone, a user's whole round trip still works
            assertEquals(200, api.get("/v1/accounts/current", key).status());
            var exec = sessions.exec(before, "echo still-here");
            assertEquals(200, exec.status(), exec.body().toString());
            assertEquals("still-here\n", exec.body().get("output").asText());
            String workspace = sessions.workspace("sandbox");
            var started = sessions.started("{\"session_type\":\"sandbox\",\"workspace\":\"" + workspace + "\"}");
            String id = started.get("id").asText();
            assertEquals(200, sessions.exec(id, "touch /workspace/file").status());
            assertEquals(200, sessions.terminate(id, false).status());
            var up = platform.run("up");
            assertEquals(0, up.exit(), up.output());
        }
        assertEquals(200, sessions.terminate(before, true).status());
    }
}
