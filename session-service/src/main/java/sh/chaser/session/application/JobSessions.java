package sh.chaser.session.application;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import sh.chaser.common.persistence.Tx;
import sh.chaser.common.security.Actor;
import sh.chaser.session.domain.CreateRules;
import sh.chaser.session.domain.ErrorCode;
import sh.chaser.session.domain.JobFailure;
import sh.chaser.session.persistence.SessionEntity;

/** The session a job works in: booted (or the workspace's, reused) and awaited until it runs; ended after if ephemeral. */
@ApplicationScoped
public class JobSessions {

    private static final Duration BOOT = Duration.ofMinutes(5);

    @Inject
    CreateSession creator;
    @Inject
    SessionLookup lookup;
    @Inject
    TerminateSession terminator;
    @Inject
    sh.chaser.session.persistence.PgJobRepository jobs;

    public SessionEntity open(JobContext job, String sessionType, String workspace, String image) {
        Actor actor = job.actor();
        boolean ephemeral = workspace == null || workspace.isBlank();
        var checked = CreateRules.check(sessionType, ephemeral ? null : workspace, ephemeral, image, Map.of());
        SessionEntity s = creator.create(actor, job.limits(), checked).session();
        if (ephemeral) {
            // a replica that dies before close() leaves it running: the next attempt ends it (JobExecution)
            UUID id = s.id;
            Tx.run(() -> jobs.recordSession(job.attempt().jobId(), job.attempt().number(), id));
        }
        Instant deadline = Instant.now().plus(BOOT);
        while ("creating".equals(s.status) || "reserved".equals(s.status)) {
            if (Instant.now().isAfter(deadline)) {
                throw new JobFailure(ErrorCode.BOOT_FAILED.code(), "the " + sessionType + " did not start within "
                        + BOOT.toMinutes() + " min", true, null);
            }
            sleep();
            s = lookup.reconciled(actor.accountId(), s.id);
        }
        if (!"running".equals(s.status)) {
            throw new JobFailure(ErrorCode.SESSION_NOT_RUNNING.code(), "session " + s.id + " is " + s.status
                    + (s.terminationReason == null ? "" : " (" + s.terminationReason + ")"), true, null);
        }
        return s;
    }

    /** Ends an ephemeral session the job booted; a workspace's session stays for the next user. */
    public void close(Actor actor, SessionEntity s) {
        if (s != null && s.ephemeral) {
            try {
                terminator.terminate(actor, s.id, true);
            } catch (RuntimeException e) {
                // the idle timeout and the reconcile loop end it otherwise; the job's outcome stands
            }
        }
    }

    /** Ends the ephemeral sessions earlier attempts booted and did not end (their replica died). */
    public void endLeftOver(Actor actor, UUID jobId, int attempt) {
        for (UUID id : Tx.read(() -> jobs.sessionsBefore(jobId, attempt))) {
            try {
                terminator.terminate(actor, id, true);
            } catch (RuntimeException e) {
                // gone already, or the reconcile loop ends it once its host answers
            }
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobFailure(ErrorCode.INTERNAL.code(), "interrupted while the session booted", true, null);
        }
    }
}
