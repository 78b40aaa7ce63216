package sh.chaser.session.application;

import java.util.function.BooleanSupplier;
import sh.chaser.common.security.AccountLimits;
import sh.chaser.common.security.Actor;

/** What a kind runs with: the attempt, the principal's limits now, and whether a cancel was asked. */
public record JobContext(JobExecution.Attempt attempt, AccountLimits limits, BooleanSupplier cancelled) {

    public Actor actor() {
        return attempt.actor();
    }
}
