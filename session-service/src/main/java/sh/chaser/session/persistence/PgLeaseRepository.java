package sh.chaser.session.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Leases count while {@code expires_at} lies ahead; expired ones are deleted by the reconcile loop. */
@ApplicationScoped
public class PgLeaseRepository implements PanacheRepositoryBase<LeaseEntity, UUID> {

    public Uni<Long> active(UUID sessionId, OffsetDateTime now) {
        return count("sessionId = ?1 and expiresAt > ?2", sessionId, now);
    }

    public Uni<Map<UUID, Long>> activeBySession(Collection<UUID> sessionIds, OffsetDateTime now) {
        if (sessionIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return io.quarkus.hibernate.reactive.panache.Panache.getSession()
                .flatMap(s -> s.createQuery("select sessionId, count(*) from LeaseEntity"
                        + " where sessionId in :ids and expiresAt > :now group by sessionId", Object[].class)
                        .setParameter("ids", sessionIds).setParameter("now", now).getResultList())
                .map(rows -> {
                    Map<UUID, Long> counts = new java.util.HashMap<>();
                    rows.forEach(r -> counts.put((UUID) r[0], (Long) r[1]));
                    return counts;
                });
    }

    /** @return the ids among {@code ids} that no longer exist or have expired */
    public Uni<List<UUID>> renew(List<UUID> ids, OffsetDateTime now, OffsetDateTime until) {
        return update("expiresAt = ?1 where id in ?2 and expiresAt > ?3", until, ids, now)
                .flatMap(n -> list("id in ?1 and expiresAt = ?2", ids, until))
                .map(renewed -> {
                    var kept = renewed.stream().map(l -> l.id).collect(java.util.stream.Collectors.toSet());
                    return ids.stream().filter(id -> !kept.contains(id)).toList();
                });
    }

    public Uni<Long> expire(OffsetDateTime now) {
        return delete("expiresAt <= ?1", now);
    }

    public Uni<Long> endAll(UUID sessionId) {
        return delete("sessionId = ?1", sessionId);
    }
}
