package sh.chaser.account.domain;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {

    @Test
    void delaysDoubleWithinTwentyPercentAndStopGrowingAtTheCap() {
        var schedule = new RetrySchedule(Duration.ofSeconds(10), Duration.ofHours(1));
        Random random = new Random(7);
        for (int attempt = 1; attempt <= 40; attempt++) {
            long expected = Math.min(10_000L << Math.min(attempt - 1, 20), 3_600_000L);
            long delay = schedule.after(attempt, random).toMillis();
            assertTrue(delay >= expected * 0.8 && delay <= expected * 1.2, attempt + ": " + delay + " vs " + expected);
        }
    }

    @Test
    void theDefaultScheduleKeepsRetryingForMoreThanADay() {
        var schedule = new RetrySchedule(Duration.ofSeconds(10), Duration.ofHours(1));
        Random random = new Random(1);
        Duration total = Duration.ZERO;
        int attempts = 0;
        while (total.compareTo(Duration.ofHours(72)) < 0) {
            total = total.plus(schedule.after(++attempts, random));
        }
        assertTrue(attempts > 24, "attempts within the 72 h window: " + attempts);
    }
}
