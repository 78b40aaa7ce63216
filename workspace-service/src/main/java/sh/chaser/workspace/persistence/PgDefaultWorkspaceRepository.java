package sh.chaser.workspace.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class PgDefaultWorkspaceRepository
        implements
            PanacheRepositoryBase<DefaultWorkspaceEntity, DefaultWorkspaceEntity.Key> {

    public Uni<List<DefaultWorkspaceEntity>> of(UUID accountId) {
        return list("accountId = ?1 order by sessionType", accountId);
    }

    public Uni<DefaultWorkspaceEntity> of(UUID accountId, String sessionType) {
        return find("accountId = ?1 and sessionType = ?2", accountId, sessionType).firstResult();
    }

    public Uni<Long> clear(UUID accountId, String sessionType) {
        return delete("accountId = ?1 and sessionType = ?2", accountId, sessionType);
    }

    public Uni<Long> forgetWorkspace(UUID workspaceId) {
        return delete("workspaceId", workspaceId);
    }
}
