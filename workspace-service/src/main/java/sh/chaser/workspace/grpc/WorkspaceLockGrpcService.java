package sh.chaser.workspace.grpc;

import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.util.UUID;
import java.util.function.Supplier;
import sh.chaser.common.api.GrpcRefusals;
import sh.chaser.common.api.ServiceException;
import sh.chaser.common.persistence.Tx;
import sh.chaser.proto.workspace.v1.AcquireWorkspaceRequest;
import sh.chaser.proto.workspace.v1.AcquireWorkspaceResponse;
import sh.chaser.proto.workspace.v1.ReleaseWorkspaceRequest;
import sh.chaser.proto.workspace.v1.ReleaseWorkspaceResponse;
import sh.chaser.proto.workspace.v1.ResolveWorkspaceRequest;
import sh.chaser.proto.workspace.v1.ResolveWorkspaceResponse;
import sh.chaser.proto.workspace.v1.WorkspaceLock;
import sh.chaser.workspace.application.WorkspaceLocks;
import sh.chaser.workspace.application.WorkspaceLookup;
import sh.chaser.workspace.domain.ErrorCode;

/** session-service's side door: the one-session-per-workspace lock. Codes travel in "chaser-error-code". */
@GrpcService
@Blocking
public class WorkspaceLockGrpcService implements WorkspaceLock {

    @Inject
    WorkspaceLocks locks;
    @Inject
    WorkspaceLookup lookup;
    @Inject
    sh.chaser.workspace.application.DefaultWorkspaces defaults;

    @Override
    public Uni<AcquireWorkspaceResponse> acquireWorkspace(AcquireWorkspaceRequest request) {
        return call(() -> {
            var acquired = Tx.run(() -> locks.acquire(uuid(request.getAccountId(), "account_id"), request.getSelector(),
                    request.getSessionType(), uuid(request.getSessionId(), "session_id"),
                    request.getWorkspaceStorageLimit(), request.getAccountStorageLimit()));
            var w = acquired.workspace();
            return AcquireWorkspaceResponse.newBuilder().setWorkspaceId(w.id.toString())
                    .setAcquired(acquired.acquired())
                    .setExistingSessionId(acquired.acquired() ? "" : w.activeSessionId.toString())
                    .setHostId(w.hostId == null ? "" : w.hostId).setImage(w.image == null ? "" : w.image).build();
        });
    }

    @Override
    public Uni<ReleaseWorkspaceResponse> releaseWorkspace(ReleaseWorkspaceRequest request) {
        return call(() -> {
            var released = Tx.run(() -> locks.release(uuid(request.getAccountId(), "account_id"),
                    uuid(request.getWorkspaceId(), "workspace_id"), uuid(request.getSessionId(), "session_id")));
            return ReleaseWorkspaceResponse.newBuilder().setReleased(released.released())
                    .setEvictedReason(released.evictedReason() == null ? "" : released.evictedReason()).build();
        });
    }

    @Override
    public Uni<ResolveWorkspaceResponse> resolveWorkspace(ResolveWorkspaceRequest request) {
        if (request.getSelector().isEmpty() && !request.getDefaultOfSessionType().isEmpty()) {
            return call(() -> {
                var found = Tx.read(() -> defaults.of(uuid(request.getAccountId(), "account_id"),
                        request.getDefaultOfSessionType()));
                return ResolveWorkspaceResponse.newBuilder().setWorkspaceId(found == null ? "" : found.id.toString())
                        .build();
            });
        }
        return call(() -> ResolveWorkspaceResponse.newBuilder().setWorkspaceId(Tx.read(() -> lookup.resolve(
                uuid(request.getAccountId(), "account_id"), request.getSelector())).id.toString()).build());
    }

    private static UUID uuid(String value, String field) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new ServiceException(ErrorCode.INVALID_REQUEST, field + " must be a UUID", field);
        }
    }

    private static <T> Uni<T> call(Supplier<T> work) {
        try {
            return Uni.createFrom().item(work.get());
        } catch (RuntimeException e) {
            return Uni.createFrom().failure(GrpcRefusals.of(e, ErrorCode.INTERNAL));
        }
    }
}
