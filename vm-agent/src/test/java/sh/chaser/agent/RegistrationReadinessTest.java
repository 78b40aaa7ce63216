package sh.chaser.agent;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With no session-service to register with, the agent is alive but not ready. */
@QuarkusTest
@TestProfile(RegistrationReadinessTest.NoRegistry.class)
class RegistrationReadinessTest {

    @TestHTTPResource(value = "/", management = true)
    URL management;

    public static class NoRegistry implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            // port 1 on loopback: nothing listens there
            return Map.of("quarkus.grpc.clients.session-service.port", "1",
                    "quarkus.grpc.clients.session-service.test-port", "1",
                    "chaser.agent.host-id", "test-host",
                    "chaser.agent.data-dir", "target/agent-data",
                    "chaser.agent.disks.mode", "copy",
                    // so stopping undoes the data directory's nosuid bind mount, as ./chaser down does
                    "chaser.agent.stop-sandboxes-on-shutdown", "true");
        }
    }

    @Test
    void notReadyUntilRegistered() {
        given().get("/q/health/ready").then().statusCode(404); // not on the gRPC/data-plane port
        String at = "http://" + management.getHost() + ":" + management.getPort();
        given().baseUri(at).get("/q/health/live").then().statusCode(200);
        given().baseUri(at).get("/q/health/ready").then().statusCode(503)
                .body("checks.name", hasItem("session-service registration"))
                .body("checks.find { it.name == 'session-service registration' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'session-service registration' }.data.host_id", equalTo("test-host"));
    }
}
