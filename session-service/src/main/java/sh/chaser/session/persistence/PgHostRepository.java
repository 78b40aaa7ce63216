package sh.chaser.session.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class PgHostRepository implements PanacheRepositoryBase<HostEntity, String> {
}
