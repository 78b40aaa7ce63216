package sh.chaser.agent.application;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import sh.chaser.agent.domain.AgentError;
import sh.chaser.agent.domain.MovedSandbox;
import sh.chaser.agent.domain.SandboxRecord;
import sh.chaser.agent.domain.SandboxRecord.Desired;
import sh.chaser.agent.domain.SandboxStatus;
import sh.chaser.agent.domain.SavedBlock;
import sh.chaser.agent.domain.SavedFile;
import sh.chaser.agent.runtime.VmRuntime;

/**
 * A paused sandbox's move between hosts as {@link Sandboxes} runs it, each step under the sandbox's
 * lock. Here on the host that paused it: described and read (it stays paused here until it is
 * destroyed). There on the host that resumes it: begun, written, committed; nothing is recorded until
 * the commit, and an import in progress counts as known, so no pass of the reconcile loop sweeps its
 * files. An agent that restarts mid-import forgets it; the next begin starts it again.
 */
public final class MoveSteps {

    private static final Logger LOG = Logger.getLogger(MoveSteps.class);
    private final Sandboxes sandboxes;
    /** An import no step has touched for this long was given up by its caller: its files go. */
    private static final java.time.Duration ABANDONED_AFTER = java.time.Duration.ofMinutes(10);
    private final Map<String, MovedSandbox> importing = new ConcurrentHashMap<>();
    private final Map<String, Instant> touched = new ConcurrentHashMap<>();

    MoveSteps(Sandboxes sandboxes) {
        this.sandboxes = sandboxes;
    }

    public MovedSandbox describe(String sessionId) {
        return sandboxes.locked(sessionId, () -> {
            SandboxRecord record = paused(sessionId);
            return sandboxes.runtimeOf(record).mover().describe(record);
        });
    }

    public SavedBlock read(String sessionId, SavedFile file, long offset) {
        return sandboxes.locked(sessionId, () -> {
            SandboxRecord record = paused(sessionId);
            return sandboxes.runtimeOf(record).mover().read(record, file, offset);
        });
    }

    /** Refuses unless the sandbox is paused here (what a read of its command files needs). */
    public void requirePaused(String sessionId) {
        sandboxes.locked(sessionId, () -> paused(sessionId));
    }

    /** Starts an import; the sandbox as it is when an earlier import of it was committed already. */
    public Optional<SandboxRecord> begin(MovedSandbox moved) {
        String sessionId = moved.spec().sessionId();
        return sandboxes.locked(sessionId, () -> {
            Optional<SandboxRecord> known = sandboxes.get(sessionId);
            if (known.isPresent()) {
                if (known.get().status() == SandboxStatus.PAUSED
                        && sandboxes.runtimeOf(known.get()).mover().holds(known.get(), moved)) {
                    return known; // a move repeated after its commit
                }
                throw AgentError.INVALID_REQUEST.exception("sandbox " + sessionId + " exists on this host"
                        + " (another copy of it, which the reconcile loop ends once nothing is moving it here)");
            }
            VmRuntime runtime = sandboxes.runtime(moved.runtime()).filter(r -> sandboxes.offered().contains(r.name()))
                    .orElseThrow(() -> AgentError.RUNTIME_UNAVAILABLE.exception("this host does not run "
                            + moved.runtime() + " sandboxes"));
            importing.put(sessionId, moved);
            touched.put(sessionId, Instant.now());
            try {
                runtime.mover().begin(moved);
            } catch (RuntimeException e) {
                importing.remove(sessionId);
                throw e;
            }
            return Optional.empty();
        });
    }

    public void write(String sessionId, SavedBlock block) {
        sandboxes.locked(sessionId, () -> {
            MovedSandbox moved = importing(sessionId);
            sandboxes.runtime(moved.runtime()).orElseThrow().mover().write(moved.spec(), block);
            return null;
        });
    }

    /** Refuses unless an import of the sandbox was begun here (what a write of its command files needs). */
    public void requireImporting(String sessionId) {
        importing(sessionId);
    }

    /** Checks the copy and records the sandbox paused here; what the import wrote goes when the check fails. */
    public SandboxRecord commit(String sessionId) {
        return sandboxes.locked(sessionId, () -> {
            MovedSandbox moved = importing(sessionId);
            VmRuntime runtime = sandboxes.runtime(moved.runtime()).orElseThrow();
            try {
                var handle = runtime.mover().commit(moved);
                SandboxRecord record = sandboxes.save(new SandboxRecord(moved.spec(), Desired.PAUSED,
                        SandboxStatus.PAUSED, runtime.name(), handle, Instant.now(), ""));
                LOG.infof("sandbox %s moved here, paused (%s)", sessionId, runtime.name());
                return record;
            } finally {
                importing.remove(sessionId);
                touched.remove(sessionId);
            }
        });
    }

    /**
     * The sandboxes {@code recorded}, and those being imported: what the reconcile loop's sweeps leave
     * alone. An import untouched for {@link #ABANDONED_AFTER} is dropped here, its files with it.
     */
    Set<String> withImports(Set<String> recorded) {
        Instant stale = Instant.now().minus(ABANDONED_AFTER);
        for (String sessionId : Set.copyOf(importing.keySet())) {
            if (touched.getOrDefault(sessionId, Instant.EPOCH).isBefore(stale)) {
                sandboxes.locked(sessionId, () -> {
                    MovedSandbox moved = importing.remove(sessionId);
                    touched.remove(sessionId);
                    if (moved != null) {
                        LOG.infof("import of sandbox %s abandoned (nothing sent for %s); its files go", sessionId,
                                ABANDONED_AFTER);
                        sandboxes.runtime(moved.runtime()).ifPresent(r -> r.mover().abandon(sessionId));
                    }
                    return null;
                });
            }
        }
        Set<String> known = new java.util.HashSet<>(recorded);
        known.addAll(importing.keySet());
        return known;
    }

    private MovedSandbox importing(String sessionId) {
        touched.computeIfPresent(sessionId, (id, at) -> Instant.now());
        MovedSandbox moved = importing.get(sessionId);
        if (moved == null) {
            throw AgentError.INVALID_REQUEST.exception("no import of sandbox " + sessionId + " was begun here"
                    + " (or this agent restarted since): begin it again");
        }
        return moved;
    }

    private SandboxRecord paused(String sessionId) {
        SandboxRecord record = sandboxes.known(sessionId);
        if (record.status() != SandboxStatus.PAUSED || record.desired() != Desired.PAUSED) {
            throw AgentError.SANDBOX_NOT_RUNNING.exception("sandbox " + sessionId + " is not paused");
        }
        return record;
    }
}
