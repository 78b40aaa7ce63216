package sh.chaser.session.application;

import java.util.UUID;
import sh.chaser.common.security.AccountLimits;
import sh.chaser.proto.workspace.v1.AcquireWorkspaceResponse;

/**
 * workspace-service's one-session-per-workspace lock as the application uses it (implemented by
 * the gRPC adapter). Refusals arrive as this service's error codes.
 */
public interface WorkspaceLocks {

    /** @param evictedReason why a forced workspace operation evicted the session, else empty */
    record Released(boolean released, String evictedReason) {}

    /** Without storage limits: only finds out who holds a lock. */
    AcquireWorkspaceResponse acquire(UUID accountId, String selector, String sessionType, UUID sessionId);

    /** @param limits the storage limits are checked by workspace-service before a new boot */
    AcquireWorkspaceResponse acquire(UUID accountId, String selector, String sessionType, UUID sessionId,
            AccountLimits limits);

    /** Gives the workspace back; only once the session's VM is gone. Idempotent. */
    Released release(UUID accountId, UUID workspaceId, UUID sessionId);

    UUID resolve(UUID accountId, String selector);

    /** The account's default workspace of the session type, if it set one (PUT /v1/workspaces/default). */
    java.util.Optional<UUID> defaultWorkspace(UUID accountId, String sessionType);

    /** What a workspace deletion for a job left: the deleted ids, and per selector that failed its code. */
    record Deleted(java.util.List<String> deleted, java.util.List<TerminateSession.Failure> failed) {}

    /** Deletes each workspace on its own, as DELETE /v1/workspaces/{w} would, audited as {@code actor}. */
    Deleted delete(sh.chaser.common.security.Actor actor, java.util.List<String> selectors, boolean force);
}
