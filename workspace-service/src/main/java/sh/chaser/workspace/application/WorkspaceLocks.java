package sh.chaser.workspace.application;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;
import sh.chaser.common.persistence.Tx;
import sh.chaser.workspace.domain.ErrorCode;
import sh.chaser.workspace.persistence.PgWorkspaceRepository;
import sh.chaser.workspace.persistence.WorkspaceEntity;

/**
 * Both run inside the caller's transaction ({@link Tx#run}). One running session per workspace. The lock is {@code active_session_id}, taken under the row lock,
 * so it excludes disk operations (which need the row free of sessions) and concurrent acquirers.
 */
@ApplicationScoped
public class WorkspaceLocks {

    /** @param acquired false when {@code workspace.activeSessionId} already held it */
    public record Acquired(WorkspaceEntity workspace, boolean acquired) {}

    @Inject
    PgWorkspaceRepository workspaces;
    @Inject
    WorkspaceLookup lookup;

    @Inject
    WorkspaceLimits limits;

    /**
     * @param workspaceLimit, accountLimit the account's storage limits in bytes (0: unchecked); a
     *        new boot is refused while the workspace or the account holds more
     */
    public Uni<Acquired> acquire(UUID accountId, String selector, String sessionType, UUID sessionId,
            long workspaceLimit, long accountLimit) {
        return lookup.resolve(accountId, selector).flatMap(found -> workspaces.lock(found.id))
                .call(w -> w.deletedAt != null || w.activeSessionId != null
                        ? Uni.createFrom().voidItem()
                        : limits.checkBoot(accountId, w.sizeBytes, workspaceLimit, accountLimit))
                .map(w -> {
                    if (w.deletedAt != null) {
                        throw WorkspaceLookup.notFound(selector);
                    }
                    if (!w.sessionType.equals(sessionType)) {
                        throw ErrorCode.SESSION_TYPE_MISMATCH.exception("workspace " + w.displayName() + " is for "
                                + w.sessionType + " sessions, not " + sessionType);
                    }
                    if (w.activeSessionId != null) {
                        return new Acquired(w, w.activeSessionId.equals(sessionId));
                    }
                    SessionEvictions.requireIdle(w);
                    w.activeSessionId = sessionId;
                    w.lastSessionId = sessionId;
                    w.updatedAt = Tx.now();
                    return new Acquired(w, true);
                });
    }

    /**
     * @param released true when {@code sessionId} held the lock and no longer does
     * @param evictedReason why a forced operation evicted {@code sessionId}, else null
     */
    public record Released(boolean released, String evictedReason) {}

    /** Called once the session's VM is gone; idempotent. */
    public Uni<Released> release(UUID accountId, UUID workspaceId, UUID sessionId) {
        return workspaces.lock(workspaceId).map(w -> {
            if (w == null || !w.accountId.equals(accountId)) {
                return new Released(false, null);
            }
            String evicted = sessionId.equals(w.evictedSessionId) ? w.evictionReason : null;
            if (!sessionId.equals(w.activeSessionId)) {
                return new Released(false, evicted);
            }
            w.activeSessionId = null;
            w.lastSessionId = sessionId;
            w.updatedAt = Tx.now();
            return new Released(true, evicted);
        });
    }
}
