package sh.chaser.session.support;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import sh.chaser.contracts.ErrorCatalog;
import sh.chaser.proto.vmagent.v1.BootRequest;
import sh.chaser.proto.vmagent.v1.DestroyRequest;
import sh.chaser.proto.vmagent.v1.DestroyResponse;
import sh.chaser.proto.vmagent.v1.GetVmRequest;
import sh.chaser.proto.vmagent.v1.ListVmsRequest;
import sh.chaser.proto.vmagent.v1.ListVmsResponse;
import sh.chaser.proto.vmagent.v1.Vm;
import sh.chaser.proto.vmagent.v1.VmAgentGrpc;
import sh.chaser.proto.vmagent.v1.VmState;

/**
 * A vm-agent's gRPC API on loopback, in the test's JVM, for session-service's state machine
 * without root: each Boot does what {@link #next} says (run, refuse with an agent's code, or boot
 * and then lose the answer as a torn-down HTTP/2 connection does), Get, List and Destroy answer
 * from what it booted. It proves how session-service drives an agent, not what an agent does.
 */
public final class FakeVmAgent extends VmAgentGrpc.VmAgentImplBase implements AutoCloseable {

    /** What the next Boot does. */
    public enum Boot {
        RUN,
        REFUSE_IMAGE_PULL,
        ANSWER_LOST
    }

    public volatile Boot next = Boot.RUN;
    public final Map<String, Vm> vms = new ConcurrentHashMap<>();
    public final CopyOnWriteArrayList<String> destroyed = new CopyOnWriteArrayList<>();
    /** While true, Destroy fails as an agent that cannot be reached does. */
    public volatile boolean unreachableForDestroy;
    private final Server server;

    public FakeVmAgent() throws IOException {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(this).build().start();
    }

    public String address() {
        return "127.0.0.1:" + server.getPort();
    }

    @Override
    public void boot(BootRequest request, StreamObserver<Vm> answer) {
        switch (next) {
            case REFUSE_IMAGE_PULL -> answer.onError(refusal(Status.UNAVAILABLE, "image_pull_failed",
                    "the registry of " + request.getImage() + " could not be reached"));
            case ANSWER_LOST -> {
                // the VM runs; only the answer is lost, as when HTTP/2 tears the connection down mid-call
                vms.put(request.getSessionId(), running(request));
                answer.onError(Status.INTERNAL.withDescription("Connection closed after GOAWAY").asRuntimeException());
            }
            default -> {
                Vm vm = running(request);
                vms.put(request.getSessionId(), vm);
                answer.onNext(vm);
                answer.onCompleted();
            }
        }
    }

    @Override
    public void get(GetVmRequest request, StreamObserver<Vm> answer) {
        Vm vm = vms.get(request.getSessionId());
        if (vm == null) {
            answer.onError(refusal(Status.NOT_FOUND, "sandbox_not_found", "no such sandbox"));
            return;
        }
        answer.onNext(vm);
        answer.onCompleted();
    }

    @Override
    public void list(ListVmsRequest request, StreamObserver<ListVmsResponse> answer) {
        answer.onNext(ListVmsResponse.newBuilder().addAllVms(vms.values()).build());
        answer.onCompleted();
    }

    @Override
    public void destroy(DestroyRequest request, StreamObserver<DestroyResponse> answer) {
        if (unreachableForDestroy) {
            answer.onError(Status.UNAVAILABLE.withDescription("connection refused").asRuntimeException());
            return;
        }
        FakeWorkspaceLock.STEPS.add("destroy " + request.getSessionId());
        boolean existed = vms.remove(request.getSessionId()) != null;
        destroyed.add(request.getSessionId());
        answer.onNext(DestroyResponse.newBuilder().setExisted(existed).build());
        answer.onCompleted();
    }

    private static Vm running(BootRequest request) {
        return Vm.newBuilder().setSessionId(request.getSessionId()).setSessionType(request.getSessionType())
                .setState(VmState.VM_STATE_RUNNING).setRuntime("namespace").setImage(request.getImage())
                .setStartedAt(java.time.Instant.now().toString()).build();
    }

    private static io.grpc.StatusRuntimeException refusal(Status status, String code, String message) {
        Metadata trailers = new Metadata();
        trailers.put(ErrorCatalog.TRAILER, code);
        return status.withDescription(message).asRuntimeException(trailers);
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
