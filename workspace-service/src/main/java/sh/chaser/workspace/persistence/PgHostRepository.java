package sh.chaser.workspace.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;

@ApplicationScoped
public class PgHostRepository implements PanacheRepositoryBase<HostEntity, String> {

    public Uni<List<HostEntity>> reportedSince(OffsetDateTime since) {
        return list("reportedAt >= ?1 order by id", since);
    }
}
