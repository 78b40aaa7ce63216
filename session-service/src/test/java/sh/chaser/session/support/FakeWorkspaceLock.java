package sh.chaser.session.support;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import sh.chaser.proto.workspace.v1.AcquireWorkspaceRequest;
import sh.chaser.proto.workspace.v1.AcquireWorkspaceResponse;
import sh.chaser.proto.workspace.v1.ReleaseWorkspaceRequest;
import sh.chaser.proto.workspace.v1.ReleaseWorkspaceResponse;
import sh.chaser.proto.workspace.v1.ResolveWorkspaceRequest;
import sh.chaser.proto.workspace.v1.ResolveWorkspaceResponse;
import sh.chaser.proto.workspace.v1.WorkspaceLockGrpc;

/**
 * workspace-service's lock API on loopback in the test JVM: every workspace name exists, is kept by
 * host {@link #HOST_ID} and is held by at most one session; {@link #evict} records an eviction
 * as workspace-service does before destroying a VM. {@link #STEPS} orders destroys (written by
 * {@link FakeVmAgent}) and releases. It proves how session-service uses the lock, not the lock.
 */
public final class FakeWorkspaceLock extends WorkspaceLockGrpc.WorkspaceLockImplBase
        implements
            QuarkusTestResourceLifecycleManager {

    /** The host every workspace is kept on (the test registers its FakeVmAgent under it). */
    public static final String HOST_ID = "fake-agent-" + UUID.randomUUID();
    public static final CopyOnWriteArrayList<String> STEPS = new CopyOnWriteArrayList<>();
    public static final Map<UUID, String> HOLDERS = new ConcurrentHashMap<>();
    private static final Map<String, String> EVICTED = new ConcurrentHashMap<>();
    private Server server;

    public static UUID idOf(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }

    /** What a forced workspace operation records before it destroys the session's VM. */
    public static void evict(String sessionId, String reason) {
        EVICTED.put(sessionId, reason);
    }

    @Override
    public Map<String, String> start() {
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(this).build()
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String port = Integer.toString(server.getPort());
        return Map.of("quarkus.grpc.clients.workspace-service.host", "127.0.0.1",
                "quarkus.grpc.clients.workspace-service.port", port, "quarkus.grpc.clients.workspace-service.test-port",
                port);
    }

    @Override
    public void stop() {
        server.shutdownNow();
    }

    @Override
    public void acquireWorkspace(AcquireWorkspaceRequest request, StreamObserver<AcquireWorkspaceResponse> answer) {
        UUID id = idOf(request.getSelector());
        String holder = HOLDERS.putIfAbsent(id, request.getSessionId());
        boolean acquired = holder == null || holder.equals(request.getSessionId());
        answer.onNext(AcquireWorkspaceResponse.newBuilder().setWorkspaceId(id.toString()).setAcquired(acquired)
                .setExistingSessionId(acquired ? "" : holder).setHostId(HOST_ID).build());
        answer.onCompleted();
    }

    @Override
    public void releaseWorkspace(ReleaseWorkspaceRequest request, StreamObserver<ReleaseWorkspaceResponse> answer) {
        boolean released = HOLDERS.remove(UUID.fromString(request.getWorkspaceId()), request.getSessionId());
        if (released) {
            STEPS.add("release " + request.getSessionId());
        }
        answer.onNext(ReleaseWorkspaceResponse.newBuilder().setReleased(released)
                .setEvictedReason(EVICTED.getOrDefault(request.getSessionId(), "")).build());
        answer.onCompleted();
    }

    @Override
    public void resolveWorkspace(ResolveWorkspaceRequest request, StreamObserver<ResolveWorkspaceResponse> answer) {
        answer.onNext(ResolveWorkspaceResponse.newBuilder().setWorkspaceId(idOf(request.getSelector()).toString())
                .build());
        answer.onCompleted();
    }
}
