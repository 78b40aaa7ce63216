package sh.chaser.workspace.application;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import sh.chaser.common.api.ServiceException;
import sh.chaser.workspace.domain.ErrorCode;
import sh.chaser.workspace.domain.WorkspaceNames;
import sh.chaser.workspace.persistence.PgWorkspaceRepository;
import sh.chaser.workspace.persistence.WorkspaceEntity;

/** Resolves a selector (a name or a UUID) inside one account: 404 when nothing matches, 409 when several do. */
@ApplicationScoped
public class WorkspaceLookup {

    @Inject
    PgWorkspaceRepository workspaces;

    /** The account's workspaces newest first after the cursor's row (null: from the newest), at most {@code rows}. */
    public Uni<java.util.List<WorkspaceEntity>> page(UUID accountId, int rows, java.time.OffsetDateTime afterCreated,
            UUID afterId) {
        return workspaces.list(accountId, rows, afterCreated, afterId);
    }

    public Uni<WorkspaceEntity> resolve(UUID accountId, String selector) {
        if (selector == null || selector.isBlank()) {
            return Uni.createFrom().failure(new ServiceException(ErrorCode.INVALID_REQUEST,
                    "a workspace name or id is required", "workspace"));
        }
        UUID id = uuid(selector);
        Uni<WorkspaceEntity> byId = id == null ? Uni.createFrom().nullItem() : workspaces.live(accountId, id);
        return byId.flatMap(found -> (WorkspaceNames.valid(selector)
                ? workspaces.byName(accountId, selector)
                : Uni.createFrom().item(List.<WorkspaceEntity>of())).map(named -> {
                    Map<UUID, WorkspaceEntity> candidates = new LinkedHashMap<>();
                    if (found != null) {
                        candidates.put(found.id, found);
                    }
                    named.forEach(w -> candidates.put(w.id, w));
                    if (candidates.isEmpty()) {
                        throw notFound(selector);
                    }
                    if (candidates.size() > 1) {
                        throw ErrorCode.WORKSPACE_NAME_AMBIGUOUS.exception("\"" + selector
                                + "\" matches more than one workspace: " + candidates.keySet() + "; use the id");
                    }
                    return candidates.values().iterator().next();
                }));
    }

    public static ServiceException notFound(String selector) {
        return ErrorCode.WORKSPACE_NOT_FOUND.exception("no workspace \"" + selector + "\" in this account");
    }

    private static UUID uuid(String s) {
        try {
            return s.length() == 36 ? UUID.fromString(s) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
