package sh.chaser.agent.application;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Releases what destroyed sandboxes leave once their processes are stopped (cgroups, network,
 * scratch disk), after Destroy has answered: off the path of the terminate that asked, and of the
 * next boot, which would otherwise wait behind it. One at a time, so a bulk terminate of many never
 * takes every core from the boots beside it. Nothing is lost by a crash: the sandbox's journal
 * record says destroyed until the release is done, and the reconcile loop finishes it after a start.
 */
final class Teardowns {

    private static final Logger LOG = Logger.getLogger(Teardowns.class);

    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sandbox-teardown");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger pending = new AtomicInteger();

    /** Runs {@code release} of {@code sessionId} after those queued before it. */
    void submit(String sessionId, Runnable release) {
        pending.incrementAndGet();
        worker.execute(() -> {
            long started = System.nanoTime();
            try {
                release.run();
                LOG.debugf("sandbox %s released in %d ms; %d more queued", sessionId,
                        (System.nanoTime() - started) / 1_000_000, pending.get() - 1);
            } catch (RuntimeException e) {
                LOG.errorf(e, "releasing sandbox %s failed; the reconcile loop retries", sessionId);
            } finally {
                pending.decrementAndGet();
            }
        });
    }

    /** Releases queued and not finished yet (the agent's health data). */
    int pending() {
        return pending.get();
    }

    /** Waits (a bounded time) for every queued release; true when all are done. */
    boolean drain(long timeout, TimeUnit unit) {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (pending.get() > 0 && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L);
        }
        return pending.get() == 0;
    }
}
