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
import sh.chaser.common.security.Actor;
import sh.chaser.proto.workspace.v1.AcquireWorkspaceRequest;
import sh.chaser.proto.workspace.v1.AcquireWorkspaceResponse;
import sh.chaser.proto.workspace.v1.DeleteFailure;
import sh.chaser.proto.workspace.v1.DeleteWorkspacesRequest;
import sh.chaser.proto.workspace.v1.DeleteWorkspacesResponse;
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
    @Inject
    sh.chaser.workspace.application.DeleteWorkspace deleter;

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

    /** A job's workspace.delete or workspace.bulk_delete, done and audited as the job's principal. */
    @Override
    public Uni<DeleteWorkspacesResponse> deleteWorkspaces(DeleteWorkspacesRequest request) {
        return call(() -> {
            var actor = new Actor(uuid(request.getAccountId(), "account_id"), request.getActorType(),
                    request.getActorId());
            var result = deleter.bulk(actor, request.getSelectorsList(), request.getForce());
            var answer = DeleteWorkspacesResponse.newBuilder().addAllDeleted(result.deleted());
            result.failed().forEach(f -> answer.addFailed(DeleteFailure.newBuilder().setSelector(f.id())
                    .setCode(f.code()).setMessage(f.message() == null ? "" : f.message())));
            return answer.build();
        });
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
