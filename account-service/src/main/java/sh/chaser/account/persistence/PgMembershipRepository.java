package sh.chaser.account.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.UUID;

@ApplicationScoped
public class PgMembershipRepository implements PanacheRepositoryBase<MembershipEntity, MembershipEntity.Key> {

    public Uni<MembershipEntity> find(UUID accountId, UUID userId) {
        return find("accountId = ?1 and userId = ?2", accountId, userId).firstResult();
    }

    /** Counts the owners while locking their rows, so concurrent demotions cannot both pass. */
    public Uni<Integer> countOwnersForUpdate(UUID accountId) {
        return find("accountId = ?1 and role = 'owner'", accountId).withLock(LockModeType.PESSIMISTIC_WRITE).list()
                .map(java.util.List::size);
    }
}
