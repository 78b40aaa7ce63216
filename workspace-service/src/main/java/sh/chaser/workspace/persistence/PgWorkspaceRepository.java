package sh.chaser.workspace.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** Live workspaces are those without {@code deleted_at}; deleted ones stay until their disk is gone. */
@ApplicationScoped
public class PgWorkspaceRepository implements PanacheRepositoryBase<WorkspaceEntity, UUID> {

    public Uni<WorkspaceEntity> live(UUID accountId, UUID id) {
        return find("id = :id and accountId = :account and deletedAt is null",
                Parameters.with("id", id).and("account", accountId)).firstResult();
    }

    public Uni<List<WorkspaceEntity>> byName(UUID accountId, String name) {
        return list("accountId = :account and lower(name) = lower(:name) and deletedAt is null",
                Parameters.with("account", accountId).and("name", name));
    }

    /** The row, locked until the transaction ends (other writers and session locks wait). */
    public Uni<WorkspaceEntity> lock(UUID id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /**
     * The row, locked, if it still carries the operation a driver started from; else null (another
     * instance finished it, or it was undone), so that only one finisher writes the outcome.
     */
    public Uni<WorkspaceEntity> lockIfCarrying(UUID id, String operation, OffsetDateTime started) {
        return lock(id).map(w -> w != null && operation.equals(w.operation)
                && java.util.Objects.equals(started, w.operationStartedAt) ? w : null);
    }

    /** Newest first; after the (created_at, id) position {@code after} when given. */
    public Uni<List<WorkspaceEntity>> list(UUID accountId, int limit, OffsetDateTime afterCreated, UUID afterId) {
        if (afterCreated == null) {
            return find("accountId = :account and deletedAt is null order by createdAt desc, id desc",
                    Parameters.with("account", accountId)).page(0, limit).list();
        }
        return find(
                "accountId = :account and deletedAt is null and (createdAt < :created or (createdAt = :created and id < :id))"
                        + " order by createdAt desc, id desc",
                Parameters.with("account", accountId).and("created", afterCreated).and("id", afterId)).page(0, limit)
                .list();
    }

    public Uni<Long> countLive(UUID accountId) {
        return count("accountId = ?1 and deletedAt is null", accountId);
    }

    public Uni<Long> accountBytes(UUID accountId) {
        return find(
                "select coalesce(sum(sizeBytes), 0) from WorkspaceEntity where accountId = ?1 and deletedAt is null",
                accountId).project(Long.class).singleResult();
    }

    public Uni<List<WorkspaceEntity>> unfinished(OffsetDateTime startedBefore) {
        return list("operation is not null and operationStartedAt < ?1 order by operationStartedAt", startedBefore);
    }

    /** Of these ids, those that some row (live or deleted) carries. */
    public Uni<List<UUID>> known(List<UUID> ids) {
        return find("select id from WorkspaceEntity where id in ?1", ids).project(UUID.class).list();
    }

    public Uni<List<WorkspaceEntity>> readyOnHosts() {
        return list("deletedAt is null and operation is null and status = 'ready' and hostId is not null");
    }
}
