package sh.chaser.workspace.application;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;
import sh.chaser.common.api.LimitExceeded;
import sh.chaser.common.persistence.AccountLock;
import sh.chaser.common.security.AccountLimits;
import sh.chaser.workspace.domain.ErrorCode;
import sh.chaser.workspace.persistence.PgWorkspaceRepository;

/**
 * The account's limits on workspaces (how many, bytes per workspace, bytes in all), checked
 * before a new disk is made (create, clone, import) and before a session boots on one. Runs in the
 * inserting transaction after the account's advisory lock, so two creates cannot both take the last place.
 */
@ApplicationScoped
public class WorkspaceLimits {

    @Inject
    PgWorkspaceRepository workspaces;

    /** @param newBytes what the new workspace starts with (a clone: its source's size) */
    public Uni<Void> checkNew(UUID accountId, AccountLimits limits, long newBytes) {
        if (newBytes > limits.workspaceStorageBytes()) {
            return Uni.createFrom()
                    .failure(exceeded(AccountLimits.WORKSPACE_STORAGE_BYTES, "storage limit: a workspace holds at most "
                            + limits.workspaceStorageBytes() + " bytes and the source holds " + newBytes));
        }
        return AccountLock.hold(accountId)
                .chain(() -> workspaces.countLive(accountId))
                .invoke(count -> {
                    if (count >= limits.workspaces()) {
                        throw exceeded(AccountLimits.WORKSPACES, "the account has " + count + " of its "
                                + limits.workspaces() + " workspaces");
                    }
                })
                .chain(() -> workspaces.accountBytes(accountId))
                .invoke(used -> {
                    if (used + newBytes > limits.accountStorageBytes()) {
                        throw exceeded(AccountLimits.ACCOUNT_STORAGE_BYTES,
                                "storage limit: the account's workspaces hold "
                                        + used + " of " + limits.accountStorageBytes() + " bytes; this would add "
                                        + newBytes);
                    }
                }).replaceWithVoid();
    }

    /** A session may boot on a workspace only while it and the account are within their storage limits. */
    public Uni<Void> checkBoot(UUID accountId, long workspaceBytes, long workspaceLimit, long accountLimit) {
        if (workspaceLimit > 0 && workspaceBytes > workspaceLimit) {
            return Uni.createFrom()
                    .failure(exceeded(AccountLimits.WORKSPACE_STORAGE_BYTES, "storage limit: the workspace holds "
                            + workspaceBytes + " bytes, more than its " + workspaceLimit));
        }
        if (accountLimit <= 0) {
            return Uni.createFrom().voidItem();
        }
        return workspaces.accountBytes(accountId).invoke(used -> {
            if (used > accountLimit) {
                throw exceeded(AccountLimits.ACCOUNT_STORAGE_BYTES, "storage limit: the account's workspaces hold "
                        + used + " bytes, more than its " + accountLimit);
            }
        }).replaceWithVoid();
    }

    private static LimitExceeded exceeded(String limit, String message) {
        return LimitExceeded.of(ErrorCode.LIMIT_EXCEEDED, limit, message);
    }
}
