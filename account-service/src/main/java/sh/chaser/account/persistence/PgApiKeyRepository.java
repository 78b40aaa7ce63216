package sh.chaser.account.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.UUID;

@ApplicationScoped
public class PgApiKeyRepository implements PanacheRepositoryBase<ApiKeyEntity, UUID> {

    public Uni<ApiKeyEntity> findActiveByHash(String keyHash) {
        return find("keyHash = ?1 and revokedAt is null", keyHash).firstResult();
    }

    public Uni<Integer> touch(UUID id, OffsetDateTime at) {
        return update("lastUsedAt = ?1 where id = ?2", at, id);
    }
}
