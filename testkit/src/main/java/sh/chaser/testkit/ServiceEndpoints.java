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

    /**
     * {@code /q/health/ready} on the management port is UP and names both the PostgreSQL and the
     * Kafka check.
     *
     * @param management the management interface's base URL
     *        ({@code @TestHTTPResource(value = "/", management = true)})
     */
    public static void assertReadyWithDatabaseAndKafka(URL management) {
        given().baseUri(base(management)).get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body(containsString("PostgreSQL"))
                .body(containsString("Kafka"));
    }

    /**
     * Metrics and health on the management port only: the API's port answers 404 for them (what an
     * ingress or the gateway could route there), the management port serves them (the control). The
     * service's generated OpenAPI document is on the API port, where the gateway reads it to assemble
     * the public contract (it holds nothing that the public contract does not publish).
     */
    public static void assertMetricsOnTheManagementPortOnly(URL management) {
        for (String path : new String[]{ "/q/metrics", "/q/health", "/q/health/ready" }) {
            given().get(path).then().statusCode(404);
        }
        given().baseUri(base(management)).get("/q/metrics").then().statusCode(200)
                .body(containsString("jvm_memory_used_bytes"));
        given().get("/q/openapi?format=json").then().statusCode(200).body(containsString("\"openapi\""));
    }

    private static String base(URL management) {
        return management.getProtocol() + "://" + management.getHost() + ":" + management.getPort();
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
