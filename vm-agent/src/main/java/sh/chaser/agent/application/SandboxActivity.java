package sh.chaser.agent.application;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import sh.chaser.agent.domain.SandboxRecord;

/**
 * When a sandbox was last used, for session-service's idle timeout: a data-plane request or stream
 * (counted while open), a foreground exec, a background command (running, or by when it ended).
 * Kept in memory: a restarted agent counts every sandbox's idleness from its own start, so a
 * restart never makes a sandbox look idle longer than it was.
 */
@ApplicationScoped
public class SandboxActivity {

    private final Instant agentStarted = Instant.now();
    private final Map<String, Instant> lastUsed = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();

    /** A use begins; the returned action ends it (at most once counts). */
    public Runnable begin(String sessionId) {
        open.computeIfAbsent(sessionId, id -> new AtomicInteger()).incrementAndGet();
        lastUsed.put(sessionId, Instant.now());
        var ended = new java.util.concurrent.atomic.AtomicBoolean();
        return () -> {
            if (ended.compareAndSet(false, true)) {
                lastUsed.put(sessionId, Instant.now());
                open.computeIfPresent(sessionId, (id, n) -> n.decrementAndGet() <= 0 ? null : n);
            }
        };
    }

    /** A use that is over as it happens (a WebSocket's opening or closing). */
    public void touch(String sessionId) {
        lastUsed.put(sessionId, Instant.now());
    }

    /**
     * Whole seconds nothing has used the sandbox; 0 while something does.
     *
     * @param commandRunning whether one of its background commands runs
     * @param lastCommandEnd when the last of them ended (null: none did)
     */
    public long idleSeconds(SandboxRecord record, boolean commandRunning, Instant lastCommandEnd) {
        String id = record.sessionId();
        if (commandRunning || open.containsKey(id)) {
            return 0;
        }
        Instant since = latest(agentStarted, record.startedAt(), lastUsed.get(id), lastCommandEnd);
        return Math.max(0, Duration.between(since, Instant.now()).toSeconds());
    }

    /** Forgets sandboxes that are gone. */
    void onReconciled(@jakarta.enterprise.event.Observes SandboxesReconciled pass) {
        lastUsed.keySet().retainAll(pass.running());
        open.keySet().retainAll(pass.running());
    }

    private static Instant latest(Instant... times) {
        Instant latest = Instant.EPOCH;
        for (Instant t : times) {
            if (t != null && t.isAfter(latest)) {
                latest = t;
            }
        }
        return latest;
    }
}
