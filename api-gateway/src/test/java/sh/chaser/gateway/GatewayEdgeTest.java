package sh.chaser.gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import sh.chaser.testkit.KafkaResource;
import sh.chaser.testkit.TestKafka;

/**
 * What the gateway answers by itself: refusals before any backend is asked, the envelope and
 * request ids everywhere, and 503 when account-service cannot be reached. The path through a
 * running account-service is proven in the e2e module.
 */
@QuarkusTest
@TestProfile(GatewayEdgeTest.NoBackend.class)
@QuarkusTestResource(KafkaResource.class)
class GatewayEdgeTest {

    @TestHTTPResource(value = "/", management = true)
    URL management;

    public static class NoBackend implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("chaser.gateway.account.port", "1", "chaser.gateway.rate-limit.anonymous-per-minute", "3");
        }
    }

    private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    @Test
    void missingBearerIs401InTheEnvelope() {
        assertEnvelope(given().get("/v1/accounts/current"), 401, "unauthorized");
        assertEnvelope(given().header("Authorization", "Basic dXNlcjpwYXNz").get("/v1/accounts/current"), 401,
                "unauthorized");
        assertEnvelope(given().header("Authorization", "Bearer   ").get("/v1/accounts/current"), 401, "unauthorized");
    }

    @Test
    void unreachableAccountServiceIs503NotALeak() {
        assertEnvelope(given().header("Authorization", "Bearer sk_whatever").get("/v1/accounts/current"), 503,
                "service_unavailable");
    }

    @Test
    void unknownRoutesAre404InTheEnvelope() {
        assertEnvelope(given().get("/v1/no-such-thing"), 404, "not_found");
        assertEnvelope(given().get("/nothing/here"), 404, "not_found");
    }

    @Test
    void refusedRequestsAreAudited() {
        Properties p = TestKafka.clientProperties();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "gateway-test-" + java.util.UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "500");
        try (var consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("chaser.audit.v1"));
            String requestId = given().get("/v1/api-keys").then().statusCode(401).extract().header("X-Request-Id");
            List<String> seen = new ArrayList<>();
            await().atMost(Duration.ofSeconds(20)).pollInSameThread().until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> seen.add(r.value()));
                return seen.stream().anyMatch(v -> v.contains(requestId) && v.contains("request.refused")
                        && v.contains("GET /v1/api-keys") && v.contains("\"status\":\"failure\""));
            });
        }
    }

    @Test
    void openRoutesAreRateLimitedPerClient() {
        for (int i = 0; i < 3; i++) {
            given().contentType("application/json").body("{}").post("/v1/auth/login").then().statusCode(503)
                    .header("X-RateLimit-Limit", "3").header("X-RateLimit-Scope", "client");
        }
        assertEnvelope(given().contentType("application/json").body("{}").post("/v1/auth/login"), 429, "rate_limited");
        given().contentType("application/json").body("{}").post("/v1/auth/login").then().statusCode(429)
                .header("Retry-After", matchesPattern("[1-9][0-9]*"))
                .header("X-RateLimit-Remaining", "0")
                .header("X-RateLimit-Scope", "client");
    }

    @Test
    void pathsWithDotSegmentsAreRefusedBeforeAnythingReadsThem() throws Exception {
        String s1 = "/s/" + java.util.UUID.randomUUID();
        String s2 = java.util.UUID.randomUUID().toString();
        for (String trick : List.of("/forward/1/../../../" + s2 + "/download?path=secret.txt",
                "/forward/1/%2e%2e/%2E%2E/%2e%2e/" + s2 + "/download", "/forward/1/..%2f..%2f..%2f" + s2 + "/pty",
                "/forward/1/%252e%252e/x")) {
            String answer = RawHttp.get(io.restassured.RestAssured.port, s1 + trick, "Bearer sk_whatever");
            assertEquals("400", answer.split(" ")[1], answer);
            org.junit.jupiter.api.Assertions.assertTrue(answer.contains("\"code\":\"invalid_request\""), answer);
        }
        assertEquals("400", RawHttp.get(io.restassured.RestAssured.port, "/v1/../s/" + s2 + "/download", null)
                .split(" ")[1]);
        // positive control: the same request without the trick reaches authentication (account-service is down here)
        String plain = RawHttp.get(io.restassured.RestAssured.port, s1 + "/forward/1/x/" + s2 + "/download",
                "Bearer sk_whatever");
        assertEquals("503", plain.split(" ")[1], plain);
    }

    @Test
    void everyResponseCarriesARequestId() {
        given().get("/v1/accounts/current").then().statusCode(401).header("X-Request-Id", matchesPattern(UUID));
    }

    @Test
    void healthAndMetricsAreNeverOnThePublicPort() {
        for (String path : new String[]{ "/q/metrics", "/q/health", "/q/health/live", "/q/health/ready" }) {
            given().get(path).then().statusCode(404);
        }
        // positive control: the management port serves them
        given().baseUri("http://" + management.getHost() + ":" + management.getPort()).get("/q/health/live").then()
                .statusCode(200);
        given().baseUri("http://" + management.getHost() + ":" + management.getPort()).get("/q/metrics").then()
                .statusCode(200);
    }

    private static void assertEnvelope(Response r, int status, String code) {
        r.then().statusCode(status)
                .contentType("application/json")
                .header("X-Request-Id", matchesPattern(UUID))
                .body("error.code", equalTo(code))
                .body("error.message", matchesPattern(".+"));
        assertEquals(r.header("X-Request-Id"), r.path("error.request_id"));
    }
}
