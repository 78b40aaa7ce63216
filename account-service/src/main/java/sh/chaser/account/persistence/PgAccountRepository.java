package sh.chaser.account.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

@ApplicationScoped
public class PgAccountRepository implements PanacheRepositoryBase<AccountEntity, UUID> {

    public Uni<AccountEntity> findPersonal(UUID userId) {
        return find("personalOf", userId).firstResult();
    }
}
