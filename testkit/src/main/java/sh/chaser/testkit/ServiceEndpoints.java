package sh.chaser.testkit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.net.URL;

/** What every database-owning service must show at its operational endpoints. */
public final class ServiceEndpoints {

    private ServiceEndpoints() {
    }

    /** {@code /q/health/ready} is UP and names both the PostgreSQL and the Kafka check. */
    public static void assertReadyWithDatabaseAndKafka() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body(containsString("PostgreSQL"))
                .body(containsString("Kafka"));
    }

    public static void assertMetricsAndOpenApi() {
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
        given().get("/q/openapi").then().statusCode(200).body(containsString("openapi"));
    }

    /** A plaintext gRPC channel to the service under test (gRPC shares the HTTP port). */
    public static ManagedChannel grpcChannel(URL base) {
        return ManagedChannelBuilder.forAddress(base.getHost(), base.getPort()).usePlaintext().build();
    }
}
