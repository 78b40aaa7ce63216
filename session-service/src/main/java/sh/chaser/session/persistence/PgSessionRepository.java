package sh.chaser.session.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Sessions the API shows are those not 'reserved' (a workspace lock still being taken). */
@ApplicationScoped
public class PgSessionRepository implements PanacheRepositoryBase<SessionEntity, UUID> {

    public Uni<SessionEntity> visible(UUID accountId, UUID id) {
        return find("id = :id and accountId = :account and status <> 'reserved'",
                Parameters.with("id", id).and("account", accountId)).firstResult();
    }

    public Uni<SessionEntity> lock(UUID id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /** Newest first, filtered; {@code after} is the (created_at, id) position of the previous page's last row. */
    public Uni<List<SessionEntity>> list(UUID accountId, String status, String sessionType, UUID workspaceId, int limit,
            OffsetDateTime afterCreatedAt, UUID afterId) {
        StringBuilder q = new StringBuilder("accountId = :account and status <> 'reserved'");
        Parameters p = Parameters.with("account", accountId);
        if (status != null) {
            q.append(" and status = :status");
            p.and("status", status);
        }
        if (sessionType != null) {
            q.append(" and sessionType = :type");
            p.and("type", sessionType);
        }
        if (workspaceId != null) {
            q.append(" and workspaceId = :workspace");
            p.and("workspace", workspaceId);
        }
        if (afterId != null) {
            q.append(" and (createdAt < :at or (createdAt = :at and id < :after))");
            p.and("at", afterCreatedAt).and("after", afterId);
        }
        return find(q + " order by createdAt desc, id desc", p).page(0, limit).list();
    }

    /** Sessions of the account that are creating or running. */
    public Uni<Long> countLive(UUID accountId) {
        // a paused session holds no CPU or memory: it does not count (a resuming one does)
        return count("accountId = ?1 and status in ('creating', 'running', 'resuming')", accountId);
    }

    public Uni<List<SessionEntity>> live(UUID accountId) {
        return list("accountId = ?1 and status in ('creating', 'running', 'paused', 'resuming') order by createdAt",
                accountId);
    }

    public Uni<List<SessionEntity>> liveOn(String hostId) {
        return list("hostId = ?1 and status in ('creating', 'running', 'paused', 'resuming')", hostId);
    }

    public Uni<List<SessionEntity>> liveOnAnyHost() {
        return list("status in ('creating', 'running', 'paused', 'resuming') and hostId is not null");
    }

    /** Terminated workspace sessions whose workspace is not given back yet (their VM may still run). */
    public Uni<List<SessionEntity>> unreleased() {
        return list("status = 'terminated' and workspaceReleased = false order by terminatedAt");
    }

    public Uni<Integer> markReleased(UUID id) {
        return update("workspaceReleased = true where id = ?1", id);
    }

    public Uni<List<SessionEntity>> reservedBefore(OffsetDateTime before) {
        return list("status = 'reserved' and createdAt < ?1", before);
    }

    /** Sessions (creating or running) per host, for placement. */
    public Uni<Map<String, Long>> liveCountByHost() {
        return io.quarkus.hibernate.reactive.panache.Panache.getSession().flatMap(s -> s.createQuery(
                "select hostId, count(*) from SessionEntity where status in ('creating', 'running', 'resuming') and hostId is not null"
                        + " group by hostId",
                Object[].class).getResultList())
                .map(rows -> {
                    Map<String, Long> counts = new java.util.HashMap<>();
                    rows.forEach(r -> counts.put((String) r[0], (Long) r[1]));
                    return counts;
                });
    }

    public Uni<List<SessionEntity>> byIds(UUID accountId, List<UUID> ids) {
        return list("accountId = ?1 and id in ?2 and status <> 'reserved'", accountId, ids);
    }

    /** The sessions among {@code ids} that were ever placed on {@code hostId}, in any status. */
    public Uni<List<SessionEntity>> onHost(String hostId, List<UUID> ids) {
        return list("hostId = ?1 and id in ?2", hostId, ids);
    }
}
