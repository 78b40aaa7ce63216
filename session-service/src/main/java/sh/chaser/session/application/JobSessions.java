package sh.chaser.session.application;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import sh.chaser.common.security.AccountLimits;
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

    public SessionEntity open(Actor actor, AccountLimits limits, String sessionType, String workspace, String image) {
        boolean ephemeral = workspace == null || workspace.isBlank();
        var checked = CreateRules.check(sessionType, ephemeral ? null : workspace, ephemeral, image, Map.of());
        SessionEntity s = creator.create(actor, limits, checked).session();
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

    private static void sleep() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobFailure(ErrorCode.INTERNAL.code(), "interrupted while the session booted", true, null);
        }
    }
}
