package sh.chaser.workspace.application;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import sh.chaser.common.api.ServiceException;
import sh.chaser.common.messaging.Audit;
import sh.chaser.common.persistence.Tx;
import sh.chaser.common.security.Actor;
import sh.chaser.workspace.domain.ErrorCode;
import sh.chaser.workspace.messaging.WorkspaceEvents;
import sh.chaser.workspace.persistence.PgWorkspaceRepository;
import sh.chaser.workspace.persistence.WorkspaceEntity;

/**
 * Deleted for the user (gone from lists, name free, event out) in one transaction; the disk and its
 * snapshots are removed from the host right after, or by the reconcile loop if that fails.
 */
@ApplicationScoped
public class DeleteWorkspace {

    public record Failure(String id, String code, String message) {}

    public record BulkResult(List<String> deleted, List<Failure> failed) {}

    @Inject
    PgWorkspaceRepository workspaces;
    @Inject
    WorkspaceLookup lookup;
    @Inject
    SessionEvictions evictions;
    @Inject
    DiskOperations operations;
    @Inject
    WorkspaceEvents events;
    @Inject
    Audit audit;
    @Inject
    sh.chaser.workspace.persistence.PgDefaultWorkspaceRepository defaults;

    /** @return the deleted workspace's id */
    public java.util.UUID delete(Actor actor, String selector, boolean force) {
        WorkspaceEntity found = Tx.read(() -> lookup.resolve(actor.accountId(), selector));
        evictions.freeIfForced(found, force, "workspace_deleted");
        WorkspaceEntity marked = Tx.run(() -> workspaces.lock(found.id).call(w -> {
            if (w == null || w.deletedAt != null) {
                throw WorkspaceLookup.notFound(selector);
            }
            if (w.operation != null) {
                throw ErrorCode.WORKSPACE_BUSY.exception("workspace " + w.displayName() + " is busy (" + w.operation
                        + " in progress); try again shortly");
            }
            SessionEvictions.requireFree(w);
            w.deletedAt = Tx.now();
            w.begin("delete", null, w.deletedAt);
            return defaults.forgetWorkspace(w.id).chain(() -> events.changed(w, "deleted"))
                    .call(() -> audit.success(actor, "workspace.delete", "workspace",
                            w.id.toString(), "deleted workspace " + w.displayName(), Map.of("force", force)));
        }));
        operations.drive(marked, actor);
        return found.id;
    }

    public BulkResult bulk(Actor actor, List<String> selectors, boolean force) {
        List<String> deleted = new ArrayList<>();
        List<Failure> failed = new ArrayList<>();
        for (String selector : selectors) {
            try {
                deleted.add(delete(actor, selector, force).toString());
            } catch (ServiceException e) {
                failed.add(new Failure(selector, e.code().code(), e.getMessage()));
            }
        }
        return new BulkResult(deleted, failed);
    }
}
