package sh.chaser.agent.support;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import sh.chaser.proto.vmagent.v1.BootRequest;
import sh.chaser.proto.vmagent.v1.DestroyRequest;
import sh.chaser.proto.vmagent.v1.GetVmRequest;
import sh.chaser.proto.vmagent.v1.Limits;
import sh.chaser.proto.vmagent.v1.ListVmsRequest;
import sh.chaser.proto.vmagent.v1.Vm;
import sh.chaser.proto.vmagent.v1.VmAgentGrpc;

/** The agent's gRPC API over a real loopback channel, as session-service calls it. */
public final class AgentClient implements AutoCloseable {

    public static final Metadata.Key<String> CODE = Metadata.Key.of("chaser-error-code",
            Metadata.ASCII_STRING_MARSHALLER);
    private final ManagedChannel channel;
    private final VmAgentGrpc.VmAgentBlockingStub stub;

    public AgentClient(int port) {
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
                .intercept(TestAgentCalls.credentials()).build();
        stub = VmAgentGrpc.newBlockingStub(channel);
    }

    public ManagedChannel channel() {
        return channel;
    }

    public VmAgentGrpc.VmAgentBlockingStub stub() {
        return stub.withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    /**
     * Boots with a deadline of 5 minutes: the first boot on a fresh host waits while the agent builds
     * the default image (debootstrap, about 2 minutes here); every other call keeps 60 s.
     */
    public Vm boot(String sessionId, Limits limits, String workspaceId) {
        return stub.withDeadlineAfter(300, TimeUnit.SECONDS)
                .boot(BootRequest.newBuilder().setSessionId(sessionId).setSessionType("sandbox")
                        .setLimits(limits).setWorkspaceId(workspaceId).putAllEnv(Map.of("GREETING", "hello")).build());
    }

    public Vm boot(String sessionId) {
        return boot(sessionId, Limits.getDefaultInstance(), "");
    }

    public boolean destroy(String sessionId) {
        return stub().destroy(DestroyRequest.newBuilder().setSessionId(sessionId).build()).getExisted();
    }

    public Vm get(String sessionId) {
        return stub().get(GetVmRequest.newBuilder().setSessionId(sessionId).build());
    }

    public java.util.List<Vm> list() {
        return stub().list(ListVmsRequest.getDefaultInstance()).getVmsList();
    }

    public static String code(StatusRuntimeException e) {
        return e.getTrailers() == null ? null : e.getTrailers().get(CODE);
    }

    public static String newSessionId() {
        return UUID.randomUUID().toString();
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
