package sh.chaser.account.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

@ApplicationScoped
public class PgServiceAccountRepository implements PanacheRepositoryBase<ServiceAccountEntity, UUID> {

    /** A live (not deleted) service account of the given account, or null. */
    public Uni<ServiceAccountEntity> findLive(UUID accountId, UUID id) {
        return find("id = ?1 and accountId = ?2 and deletedAt is null", id, accountId).firstResult();
    }
}
