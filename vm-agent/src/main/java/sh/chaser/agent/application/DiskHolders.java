package sh.chaser.agent.application;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import sh.chaser.agent.domain.AgentError;
import sh.chaser.agent.domain.SandboxRecord;
import sh.chaser.agent.domain.SandboxRecord.Desired;
import sh.chaser.agent.domain.SandboxSpec;
import sh.chaser.agent.domain.SandboxStatus;

/**
 * Which sandbox holds a workspace's disk: one booting, running or paused (a paused VM's memory is
 * of that disk). A boot waits a bounded time while another holds it, typically one being destroyed
 * (a browser VM writes its profile and syncs first), since a lock released on terminate can come
 * before that.
 */
final class DiskHolders {

    private final Map<String, SandboxRecord> records;
    /** Boots recorded but still waiting for their workspace's disk: they hold it not yet. */
    private final Set<String> waiting = ConcurrentHashMap.newKeySet();
    private volatile Duration releaseWait = Duration.ofSeconds(60);

    DiskHolders(Map<String, SandboxRecord> records) {
        this.records = records;
    }

    void releaseWait(Duration wait) {
        this.releaseWait = wait;
    }

    Set<String> waiting() {
        return waiting;
    }

    /** Returns once no other sandbox holds the spec's disk; disk_in_use after the wait. */
    void awaitReleased(SandboxSpec spec) {
        if (spec.workspaceId() == null || spec.workspaceId().isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + releaseWait.toNanos();
        for (var holder = holder(spec); holder.isPresent(); holder = holder(spec)) {
            if (System.nanoTime() > deadline) {
                throw AgentError.DISK_IN_USE.exception("workspace " + spec.workspaceId()
                        + "'s disk is still attached to sandbox " + holder.get() + "; try again once it has stopped");
            }
            LockSupport.parkNanos(5_000_000L);
        }
    }

    private Optional<String> holder(SandboxSpec spec) {
        return records.values().stream().filter(r -> !r.sessionId().equals(spec.sessionId())
                && !waiting.contains(r.sessionId()) && spec.workspaceId().equals(r.spec().workspaceId())
                && holds(r)).map(SandboxRecord::sessionId).findFirst();
    }

    /** The sandbox holding this disk, after waiting (a bounded time) for destroyed ones that had it. */
    Optional<String> using(String diskId) {
        long deadline = System.nanoTime() + releaseWait.toNanos();
        while (System.nanoTime() < deadline && records.values().stream()
                .anyMatch(r -> r.desired() == Desired.DESTROYED && diskId.equals(r.spec().workspaceId()))) {
            LockSupport.parkNanos(5_000_000L);
        }
        return records.values().stream().filter(r -> r.desired() != Desired.DESTROYED && holds(r)
                && diskId.equals(r.spec().workspaceId())).map(SandboxRecord::sessionId).findFirst();
    }

    private static boolean holds(SandboxRecord r) {
        return r.status() == SandboxStatus.BOOTING || r.status() == SandboxStatus.RUNNING
                || r.status() == SandboxStatus.PAUSED;
    }
}
