package sh.chaser.account.domain;

import java.time.Duration;
import java.util.random.RandomGenerator;

/** Exponential backoff with jitter: first, 2×first, 4×first, ... capped, each ±20%. */
public record RetrySchedule(Duration first, Duration max) {

    /** The wait after attempt {@code attempt} (1-based) failed. */
    public Duration after(int attempt, RandomGenerator random) {
        double base = first.toMillis() * Math.pow(2, Math.min(attempt - 1, 30));
        double capped = Math.min(base, max.toMillis());
        return Duration.ofMillis(Math.max(1, Math.round(capped * (0.8 + 0.4 * random.nextDouble()))));
    }
}
