package sh.chaser.session.application;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;
import sh.chaser.common.api.ServiceException;
import sh.chaser.common.persistence.Tx;
import sh.chaser.common.security.Actor;
import sh.chaser.contracts.ErrorCatalog;
import sh.chaser.session.domain.ErrorCode;
import sh.chaser.session.domain.JobFailure;
import sh.chaser.session.domain.JobKinds;
import sh.chaser.session.persistence.JobEntity;
import sh.chaser.session.persistence.PgJobRepository;

/**
 * One execution of a job, as the scheduler hands it to one replica: the attempt is recorded before
 * it runs (an execution revived after a crash is the next attempt), the principal is re-checked, the
 * kind runs, and the job ends or waits for its retry.
 */
@ApplicationScoped
public class JobExecution {

    private static final Logger LOG = Logger.getLogger(JobExecution.class);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

    /** What the attempt is about, read when it began. */
    public record Attempt(UUID jobId, Actor actor, UUID keyId, String kind, String input, int number) {}

    @Inject
    PgJobRepository jobs;
    @Inject
    Jobs.Events events;
    @Inject
    JobPrincipals principals;
    @Inject
    JobRunner runner;
    @Inject
    JobSessions sessions;

    /** @return when to run the job again, or empty when it has ended (or was not to run at all) */
    public Optional<Instant> run(UUID jobId) {
        Attempt attempt = Tx.run(() -> begin(jobId));
        if (attempt == null) {
            return Optional.empty();
        }
        LOG.infof("job %s (%s): attempt %d", jobId, attempt.kind(), attempt.number());
        try {
            var standing = principals.check(attempt.actor(), attempt.keyId());
            Jobs.requireScopes(standing.scopes(), standing.fullAccess(), JobKinds.of(attempt.kind()));
            if (attempt.number() > 1) {
                sessions.endLeftOver(attempt.actor(), jobId, attempt.number());
            }
            String result = runner.run(new JobContext(attempt, standing.limits(), () -> cancelRequested(jobId)));
            return Tx.run(() -> finish(jobId, null, result));
        } catch (JobFailure f) {
            return Tx.run(() -> finish(jobId, f, f.resultJson()));
        } catch (ServiceException e) {
            boolean retryable = ErrorCatalog.byCode(e.code().code()).map(ErrorCatalog.Entry::retriable).orElse(false);
            return Tx.run(() -> finish(jobId, new JobFailure(e.code().code(), e.getMessage(), retryable, null), null));
        } catch (RuntimeException e) {
            LOG.warnf(e, "job %s: attempt %d failed unexpectedly", jobId, attempt.number());
            return Tx.run(() -> finish(jobId, new JobFailure(ErrorCode.INTERNAL.code(),
                    "the attempt failed unexpectedly (" + e.getClass().getSimpleName() + ")", true, null), null));
        }
    }

    private Uni<Attempt> begin(UUID jobId) {
        return jobs.lock(jobId).chain(j -> {
            if (j == null || j.finished()) {
                return Uni.createFrom().nullItem();
            }
            if (j.cancelRequested) {
                return end(j, "cancelled", "cancelled").replaceWith((Attempt) null);
            }
            if (j.attempts >= j.maxAttempts) {
                // revived after its last attempt's replica died: nothing is left to try
                j.errorCode = ErrorCode.INTERNAL.code();
                j.errorMessage = "the service running the job's last attempt stopped before it finished";
                return end(j, "failed", "failed").replaceWith((Attempt) null);
            }
            j.attempts++;
            j.status = "running";
            if (j.startedAt == null) {
                j.startedAt = Tx.now();
            }
            Attempt attempt = new Attempt(j.id, Jobs.actor(j), j.keyId, j.kind, j.input, j.attempts);
            return jobs.recordAttempt(j.id, j.attempts, Tx.now())
                    .chain(() -> events.happened(j, "started")).replaceWith(attempt);
        });
    }

    private Uni<Optional<Instant>> finish(UUID jobId, JobFailure failure, String result) {
        return jobs.lock(jobId).chain(j -> {
            if (j == null || j.finished()) {
                return Uni.createFrom().item(Optional.<Instant>empty());
            }
            j.result = result;
            if (failure == null) {
                j.errorCode = null;
                j.errorMessage = null;
                return end(j, "succeeded", "succeeded").replaceWith(Optional.<Instant>empty());
            }
            if (j.cancelRequested) {
                return end(j, "cancelled", "cancelled").replaceWith(Optional.<Instant>empty());
            }
            j.errorCode = failure.code();
            j.errorMessage = failure.getMessage();
            if (!failure.retryable() || j.attempts >= j.maxAttempts) {
                return end(j, "failed", "failed").replaceWith(Optional.<Instant>empty());
            }
            j.status = "queued";
            Duration backoff = Duration.ofSeconds(1L << Math.min(j.attempts, 9));
            Instant next = Instant.now().plus(backoff.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff);
            j.runAt = next.atOffset(java.time.ZoneOffset.UTC);
            return events.happened(j, "retrying").replaceWith(Optional.of(next));
        });
    }

    private Uni<Void> end(JobEntity j, String status, String event) {
        j.status = status;
        j.finishedAt = Tx.now();
        return events.happened(j, event);
    }

    private boolean cancelRequested(UUID jobId) {
        JobEntity j = Tx.read(() -> jobs.findById(jobId));
        return j == null || j.cancelRequested;
    }
}
