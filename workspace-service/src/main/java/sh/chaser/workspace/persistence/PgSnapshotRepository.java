package sh.chaser.workspace.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class PgSnapshotRepository implements PanacheRepositoryBase<SnapshotEntity, UUID> {

    /** Those a user sees: made, and not being deleted. */
    public Uni<List<SnapshotEntity>> visible(UUID workspaceId) {
        return list("workspaceId = ?1 and state = 'ready' order by createdAt desc, id desc", workspaceId);
    }

    public Uni<SnapshotEntity> byName(UUID workspaceId, String name) {
        return find("workspaceId = ?1 and lower(name) = lower(?2)", workspaceId, name).firstResult();
    }

    public Uni<List<SnapshotEntity>> unfinished(OffsetDateTime updatedBefore) {
        return list("state <> 'ready' and updatedAt < ?1 order by updatedAt", updatedBefore);
    }

    public Uni<Long> deleteOf(UUID workspaceId) {
        return delete("workspaceId", workspaceId);
    }
}
