package sh.chaser.account.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

@ApplicationScoped
public class PgUserRepository implements PanacheRepositoryBase<UserEntity, UUID> {

    public Uni<UserEntity> findByEmail(String email) {
        return find("lower(email) = lower(?1)", email).firstResult();
    }
}
