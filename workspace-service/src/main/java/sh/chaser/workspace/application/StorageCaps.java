package sh.chaser.workspace.application;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;
import sh.chaser.workspace.config.WorkspaceConfig;
import sh.chaser.workspace.domain.ErrorCode;
import sh.chaser.workspace.persistence.PgWorkspaceRepository;

/** The storage limits: per workspace and per account, checked before a new disk is made. */
@ApplicationScoped
public class StorageCaps {

    @Inject
    PgWorkspaceRepository workspaces;
    @Inject
    WorkspaceConfig config;

    /** @param newBytes what the new workspace starts with (a clone: its source's size) */
    public Uni<Void> check(UUID accountId, long newBytes) {
        long perWorkspace = config.limits().workspaceBytes();
        if (newBytes > perWorkspace) {
            return Uni.createFrom().failure(ErrorCode.LIMIT_EXCEEDED.exception("storage limit: a workspace holds at most "
                    + perWorkspace + " bytes and the source holds " + newBytes));
        }
        long perAccount = config.limits().accountBytes();
        return workspaces.accountBytes(accountId).invoke(used -> {
            if (used + newBytes > perAccount) {
                throw ErrorCode.LIMIT_EXCEEDED.exception("storage limit: the account's workspaces hold " + used
                        + " of " + perAccount + " bytes; this would add " + newBytes);
            }
        }).replaceWithVoid();
    }
}
