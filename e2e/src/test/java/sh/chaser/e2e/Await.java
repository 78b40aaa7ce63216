package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Polls a condition the platform reaches asynchronously, failing with what was awaited. */
final class Await {

    private Await() {}

    /** @return the first value of {@code probe} that {@code done} accepts, within {@code seconds} */
    static <T> T until(Callable<T> probe, Predicate<T> done, int seconds, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            T value = probe.call();
            if (done.test(value)) {
                return value;
            }
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what + "; last seen: " + value);
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    static void until(Callable<Boolean> condition, int seconds, String what) throws Exception {
        until(condition, Boolean.TRUE::equals, seconds, what);
    }
}
