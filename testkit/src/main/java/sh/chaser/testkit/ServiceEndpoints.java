package sh.chaser.testkit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.net.URL;

/** What every database-owning service must show at its operational endpoints. */
public final class ServiceEndpoints {

    private ServiceEndpoints() {}

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

    /** A plaintext gRPC channel to the service under test (gRPC shares the HTTP port), as the gateway. */
    public static ManagedChannel grpcChannel(URL base) {
        return grpcChannel(base, TestTokens.gateway());
    }

    /** @param bearer sent as {@code authorization} metadata on every call; null sends none */
    public static ManagedChannel grpcChannel(URL base, String bearer) {
        var builder = ManagedChannelBuilder.forAddress(base.getHost(), base.getPort()).usePlaintext();
        if (bearer != null) {
            Metadata headers = new Metadata();
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + bearer);
            builder.intercept(MetadataUtils.newAttachHeadersInterceptor(headers));
        }
        return builder.build();
    }
}
