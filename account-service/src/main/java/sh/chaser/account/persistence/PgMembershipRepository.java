package sh.chaser.account.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

@ApplicationScoped
public class PgMembershipRepository implements PanacheRepositoryBase<MembershipEntity, MembershipEntity.Key> {

    public Uni<MembershipEntity> find(UUID accountId, UUID userId) {
        return find("accountId = ?1 and userId = ?2", accountId, userId).firstResult();
    }
}
