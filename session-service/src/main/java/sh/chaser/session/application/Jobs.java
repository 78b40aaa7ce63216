package sh.chaser.session.application;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import sh.chaser.common.persistence.Tx;
import sh.chaser.common.security.Actor;
import sh.chaser.session.domain.ErrorCode;
import sh.chaser.session.domain.JobKinds;
import sh.chaser.session.persistence.JobEntity;
import sh.chaser.session.persistence.PgJobRepository;

/** Submitting, reading and cancelling jobs (docs/jobs.md); running them is {@link JobExecution}'s. */
@ApplicationScoped
public class Jobs {

    /** What happened to a job, recorded in the transaction that changed it. */
    public interface Events {

        Uni<Void> happened(JobEntity job, String event);
    }

    /** Who submits, with what they may do: kept as identity, never as a credential. */
    public record Principal(Actor actor, UUID keyId, List<String> scopes, boolean fullAccess) {}

    public record Submission(String kind, JsonNode input, OffsetDateTime runAt, String idempotencyKey,
            int maxAttempts) {}

    public record Submitted(JobEntity job, boolean fresh) {}

    @Inject
    PgJobRepository jobs;
    @Inject
    Events events;
    @Inject
    JobQueue queue;

    public Submitted submit(Principal principal, Submission s) {
        JobKinds.Kind kind = JobKinds.of(s.kind());
        requireScopes(principal.scopes(), principal.fullAccess(), kind);
        JobKinds.check(kind, s.input());
        UUID account = principal.actor().accountId();
        if (s.idempotencyKey() != null) {
            JobEntity earlier = Tx.read(() -> jobs.byIdempotencyKey(account, s.idempotencyKey()));
            if (earlier != null) {
                return new Submitted(earlier, false);
            }
        }
        JobEntity j = new JobEntity();
        j.id = UUID.randomUUID();
        j.accountId = account;
        j.kind = kind.name();
        j.input = s.input().toString();
        j.status = "queued";
        j.maxAttempts = s.maxAttempts();
        j.createdAt = Tx.now();
        j.runAt = s.runAt() == null || s.runAt().isBefore(j.createdAt) ? j.createdAt : s.runAt();
        j.idempotencyKey = s.idempotencyKey();
        j.principalType = principal.actor().type();
        j.principalId = UUID.fromString(principal.actor().id());
        j.keyId = principal.keyId();
        try {
            Tx.run(() -> jobs.persist(j).chain(() -> events.happened(j, "queued")));
        } catch (RuntimeException e) {
            JobEntity raced = s.idempotencyKey() == null
                    ? null
                    : Tx.read(() -> jobs.byIdempotencyKey(account, s.idempotencyKey()));
            if (raced == null) {
                throw e;
            }
            return new Submitted(raced, false);
        }
        // after the commit: a crash before this is repaired by JobScheduler's sweep of unscheduled jobs
        queue.schedule(j.id, j.runAt.toInstant());
        return new Submitted(j, true);
    }

    public JobEntity get(UUID accountId, UUID id) {
        JobEntity j = Tx.read(() -> jobs.find(accountId, id));
        if (j == null) {
            throw notFound(id);
        }
        return j;
    }

    /** Newest first, {@code limit} rows after the cursor's (created_at, id). */
    public List<JobEntity> page(UUID accountId, String status, String kind, int limit, OffsetDateTime afterTime,
            UUID afterId) {
        return Tx.read(() -> jobs.page(accountId, status, kind, limit, afterTime, afterId));
    }

    /** A queued job ends cancelled now; a running one stops before its next step and then ends cancelled. */
    public JobEntity cancel(Principal principal, UUID id) {
        JobEntity current = get(principal.actor().accountId(), id);
        requireScopes(principal.scopes(), principal.fullAccess(), JobKinds.of(current.kind));
        JobEntity j = Tx.run(() -> jobs.lock(id).call(locked -> {
            if (locked.finished()) {
                throw ErrorCode.JOB_FINISHED.exception("job " + id + " has " + locked.status + "; nothing to cancel");
            }
            if ("queued".equals(locked.status)) {
                locked.status = "cancelled";
                locked.finishedAt = Tx.now();
                return events.happened(locked, "cancelled");
            }
            locked.cancelRequested = true;
            return Uni.createFrom().voidItem();
        }));
        if ("cancelled".equals(j.status)) {
            queue.unschedule(id);
        }
        return j;
    }

    static void requireScopes(List<String> scopes, boolean fullAccess, JobKinds.Kind kind) {
        if (fullAccess) {
            return;
        }
        for (String needed : kind.scopes()) {
            if (!scopes.contains(needed)) {
                throw ErrorCode.INSUFFICIENT_SCOPE.exception("a " + kind.name() + " job needs the scopes "
                        + kind.scopes() + "; this credential lacks " + needed);
            }
        }
    }

    static RuntimeException notFound(UUID id) {
        return ErrorCode.JOB_NOT_FOUND.exception("no job " + id + " in this account");
    }

    /** Whom a job acts as, for its events and audit entries. */
    public static Actor actor(JobEntity j) {
        return new Actor(j.accountId, j.principalType, j.principalId.toString());
    }
}
