package sh.chaser.session.grpc;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import sh.chaser.common.api.LimitExceeded;
import sh.chaser.common.security.AccountLimits;
import sh.chaser.contracts.ErrorCatalog;
import sh.chaser.proto.workspace.v1.AcquireWorkspaceRequest;
import sh.chaser.proto.workspace.v1.AcquireWorkspaceResponse;
import sh.chaser.proto.workspace.v1.ReleaseWorkspaceRequest;
import sh.chaser.proto.workspace.v1.ResolveWorkspaceRequest;
import sh.chaser.proto.workspace.v1.WorkspaceLockGrpc;
import sh.chaser.session.application.WorkspaceLocks;
import sh.chaser.session.domain.ErrorCode;

/** workspace-service's one-session-per-workspace lock; its refusals become ours with the same code. */
@ApplicationScoped
public class WorkspaceLockClient implements WorkspaceLocks {

    private static final Metadata.Key<String> CODE = ErrorCatalog.TRAILER;

    @GrpcClient("workspace-service")
    WorkspaceLockGrpc.WorkspaceLockBlockingStub locks;

    @Override
    public AcquireWorkspaceResponse acquire(UUID accountId, String selector, String sessionType, UUID sessionId) {
        return acquire(accountId, selector, sessionType, sessionId, new AccountLimits(0, 0, 0, 0, 0));
    }

    @Override
    public AcquireWorkspaceResponse acquire(UUID accountId, String selector, String sessionType, UUID sessionId,
            AccountLimits limits) {
        try {
            return locks.withDeadlineAfter(10, TimeUnit.SECONDS).acquireWorkspace(AcquireWorkspaceRequest.newBuilder()
                    .setAccountId(accountId.toString()).setSelector(selector).setSessionType(sessionType)
                    .setSessionId(sessionId.toString()).setWorkspaceStorageLimit(limits.workspaceStorageBytes())
                    .setAccountStorageLimit(limits.accountStorageBytes()).build());
        } catch (StatusRuntimeException e) {
            throw translate(e);
        }
    }

    @Override
    public Released release(UUID accountId, UUID workspaceId, UUID sessionId) {
        try {
            var answer = locks.withDeadlineAfter(10, TimeUnit.SECONDS).releaseWorkspace(ReleaseWorkspaceRequest
                    .newBuilder().setAccountId(accountId.toString()).setWorkspaceId(workspaceId.toString())
                    .setSessionId(sessionId.toString()).build());
            return new Released(answer.getReleased(), answer.getEvictedReason());
        } catch (StatusRuntimeException e) {
            throw translate(e);
        }
    }

    @Override
    public UUID resolve(UUID accountId, String selector) {
        try {
            return UUID.fromString(locks.withDeadlineAfter(10, TimeUnit.SECONDS).resolveWorkspace(
                    ResolveWorkspaceRequest.newBuilder().setAccountId(accountId.toString()).setSelector(selector)
                            .build())
                    .getWorkspaceId());
        } catch (StatusRuntimeException e) {
            throw translate(e);
        }
    }

    @Override
    public Deleted delete(sh.chaser.common.security.Actor actor, java.util.List<String> selectors, boolean force) {
        try {
            var answer = locks.withDeadlineAfter(120, TimeUnit.SECONDS).deleteWorkspaces(
                    sh.chaser.proto.workspace.v1.DeleteWorkspacesRequest.newBuilder()
                            .setAccountId(actor.accountId().toString()).addAllSelectors(selectors).setForce(force)
                            .setActorType(actor.type()).setActorId(actor.id()).build());
            return new Deleted(answer.getDeletedList(), answer.getFailedList().stream()
                    .map(f -> new sh.chaser.session.application.TerminateSession.Failure(f.getSelector(), f.getCode(),
                            f.getMessage()))
                    .toList());
        } catch (StatusRuntimeException e) {
            throw translate(e);
        }
    }

    @Override
    public java.util.Optional<UUID> defaultWorkspace(UUID accountId, String sessionType) {
        try {
            String id = locks.withDeadlineAfter(10, TimeUnit.SECONDS).resolveWorkspace(ResolveWorkspaceRequest
                    .newBuilder().setAccountId(accountId.toString()).setDefaultOfSessionType(sessionType).build())
                    .getWorkspaceId();
            return id.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(UUID.fromString(id));
        } catch (StatusRuntimeException e) {
            throw translate(e);
        }
    }

    private static RuntimeException translate(StatusRuntimeException e) {
        String code = e.getTrailers() == null ? null : e.getTrailers().get(CODE);
        ErrorCode known = code == null ? null : ErrorCode.of(code);
        String message = e.getStatus().getDescription();
        String limit = e.getTrailers() == null ? null : e.getTrailers().get(ErrorCatalog.LIMIT_TRAILER);
        if (known == ErrorCode.LIMIT_EXCEEDED && limit != null) {
            return LimitExceeded.relayed(known, limit, message);
        }
        if (known != null && known != ErrorCode.INTERNAL) {
            return known.exception(message == null ? code : message);
        }
        if (e.getStatus().getCode() == Status.Code.UNAVAILABLE
                || e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
            return ErrorCode.HOST_UNAVAILABLE.exception("workspace-service cannot be reached; try again shortly");
        }
        return ErrorCode.INTERNAL.exception("the workspace lock failed");
    }
}
