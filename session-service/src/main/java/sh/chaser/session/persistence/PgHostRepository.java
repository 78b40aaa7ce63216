package sh.chaser.session.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;

@ApplicationScoped
public class PgHostRepository implements PanacheRepositoryBase<HostEntity, String> {

    /** Hosts that heartbeated at or after {@code since}: the live ones. */
    public Uni<List<HostEntity>> heardSince(OffsetDateTime since) {
        return list("lastHeartbeatAt >= ?1 order by id", since);
    }

    /** Hosts silent since before {@code since}: lost. */
    public Uni<List<HostEntity>> silentSince(OffsetDateTime since) {
        return list("lastHeartbeatAt < ?1 order by id", since);
    }
}
