package sh.chaser.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import sh.chaser.agent.support.AgentClient;
import sh.chaser.agent.support.AgentTestProfile;
import sh.chaser.agent.support.SandboxHost;
import sh.chaser.contracts.AgentCallToken;
import sh.chaser.proto.vmagent.v1.DiskRef;
import sh.chaser.proto.vmagent.v1.DisksGrpc;
import sh.chaser.proto.vmagent.v1.ListVmsRequest;
import sh.chaser.proto.vmagent.v1.VmAgentGrpc;

/**
 * A process on the host network calls the agent's gRPC API directly: without the agent-call token,
 * or with one signed by another secret, Boot's neighbours (List) and the disk API answer
 * UNAUTHENTICATED; the same call with the token of the installation's secret is answered.
 */
@QuarkusTest
@TestProfile(AgentTestProfile.class)
@SandboxHost
class AgentCallGuardTest {

    @TestHTTPResource("/")
    URL base;

    private static Metadata bearer(String token) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return headers;
    }

    @Test
    void onlyAHolderOfTheSecretIsAnswered() throws Exception {
        ManagedChannel bare = ManagedChannelBuilder.forAddress("127.0.0.1", base.getPort()).usePlaintext().build();
        try {
            var anonymous = VmAgentGrpc.newBlockingStub(bare).withDeadlineAfter(10, TimeUnit.SECONDS);
            var refused = catchThrowableOfType(() -> anonymous.list(ListVmsRequest.getDefaultInstance()),
                    StatusRuntimeException.class);
            assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(AgentClient.code(refused)).isEqualTo("unauthorized");
            var disks = DisksGrpc.newBlockingStub(bare).withDeadlineAfter(10, TimeUnit.SECONDS);
            var diskRefused = catchThrowableOfType(
                    () -> disks.deleteDisk(DiskRef.newBuilder().setDiskId("any").build()),
                    StatusRuntimeException.class);
            assertThat(diskRefused.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            String forged = AgentCallToken.mint("another-secret-of-at-least-32-bytes!!".getBytes(), "session-service",
                    Instant.now());
            var wrongKey = anonymous.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer(forged)));
            var forgedRefused = catchThrowableOfType(() -> wrongKey.list(ListVmsRequest.getDefaultInstance()),
                    StatusRuntimeException.class);
            assertThat(forgedRefused.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        } finally {
            bare.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        // positive control: the same call with the installation's secret is answered
        try (AgentClient client = new AgentClient(base.getPort())) {
            assertThat(client.list()).isNotNull();
        }
    }
}
