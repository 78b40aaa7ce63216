package sh.chaser.session.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class PgJobRepository implements PanacheRepositoryBase<JobEntity, UUID> {

    public Uni<JobEntity> find(UUID accountId, UUID id) {
        return find("id = ?1 and accountId = ?2", id, accountId).firstResult();
    }

    public Uni<JobEntity> byIdempotencyKey(UUID accountId, String key) {
        return find("accountId = ?1 and idempotencyKey = ?2", accountId, key).firstResult();
    }

    public Uni<JobEntity> lock(UUID id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /** Newest first, after the cursor's (created_at, id). */
    public Uni<List<JobEntity>> page(UUID accountId, String status, String kind, int limit, OffsetDateTime afterTime,
            UUID afterId) {
        StringBuilder q = new StringBuilder("accountId = ?1");
        List<Object> params = new ArrayList<>(List.of(accountId));
        if (status != null) {
            params.add(status);
            q.append(" and status = ?").append(params.size());
        }
        if (kind != null) {
            params.add(kind);
            q.append(" and kind = ?").append(params.size());
        }
        if (afterTime != null) {
            params.add(afterTime);
            int t = params.size();
            params.add(afterId);
            q.append(" and (createdAt < ?").append(t).append(" or (createdAt = ?").append(t).append(" and id < ?")
                    .append(params.size()).append("))");
        }
        q.append(" order by createdAt desc, id desc");
        return find(q.toString(), params.toArray()).page(0, limit).list();
    }

    /** Jobs still to run whose scheduler execution is missing (a crash between the two writes). */
    @SuppressWarnings("unchecked")
    public Uni<List<Object[]>> unscheduled() {
        return getSession().flatMap(s -> s.createNativeQuery("""
                SELECT CAST(j.id AS text), to_char(j.run_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
                FROM jobs j
                WHERE j.status IN ('queued', 'running') AND NOT EXISTS (SELECT 1 FROM scheduled_tasks t
                    WHERE t.task_name = 'job' AND t.task_instance = CAST(j.id AS text))
                LIMIT 500""", Object[].class).getResultList());
    }

    /** @return false when this attempt was recorded already */
    public Uni<Boolean> recordAttempt(UUID jobId, int attempt, OffsetDateTime at) {
        return getSession().flatMap(s -> s.createNativeQuery("""
                INSERT INTO job_attempts (job_id, attempt, started_at) VALUES (?1, ?2, ?3)
                ON CONFLICT DO NOTHING""").setParameter(1, jobId).setParameter(2, attempt).setParameter(3, at)
                .executeUpdate()).map(n -> n > 0);
    }

    public Uni<Integer> recordSession(UUID jobId, int attempt, UUID sessionId) {
        return getSession().flatMap(s -> s.createNativeQuery(
                "UPDATE job_attempts SET session_id = ?1 WHERE job_id = ?2 AND attempt = ?3")
                .setParameter(1, sessionId).setParameter(2, jobId).setParameter(3, attempt).executeUpdate());
    }

    /** The ephemeral sessions attempts before {@code attempt} booted. */
    public Uni<List<UUID>> sessionsBefore(UUID jobId, int attempt) {
        return getSession().flatMap(s -> s.createNativeQuery(
                "SELECT session_id FROM job_attempts WHERE job_id = ?1 AND attempt < ?2 AND session_id IS NOT NULL",
                UUID.class).setParameter(1, jobId).setParameter(2, attempt).getResultList());
    }
}
