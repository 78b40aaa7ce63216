package sh.chaser.account.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class PgAccountRepository implements PanacheRepositoryBase<AccountEntity, UUID> {

    public record WithRole(AccountEntity account, String role) {}

    @Inject
    PgMembershipRepository memberships;

    public Uni<AccountEntity> findPersonal(UUID userId) {
        return find("personalOf", userId).firstResult();
    }

    /** The user's accounts, personal first, then by name. */
    public Uni<List<WithRole>> findForUser(UUID userId) {
        return memberships.list("userId",
                userId).flatMap(
                        ms -> list("id in ?1", ms.stream().map(m -> m.accountId).toList())
                                .map(accounts -> accounts.stream()
                                        .sorted(java.util.Comparator
                                                .comparing((AccountEntity a) -> !"personal".equals(a.type))
                                                .thenComparing(a -> a.name.toLowerCase()))
                                        .map(a -> new WithRole(a,
                                                ms.stream().filter(m -> m.accountId.equals(a.id)).findFirst()
                                                        .map(m -> m.role).orElseThrow()))
                                        .toList()));
    }
}
