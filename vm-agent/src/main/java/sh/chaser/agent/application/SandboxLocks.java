package sh.chaser.agent.application;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/** One lock per sandbox: every change of a sandbox, and every look that converges it, holds its lock. */
final class SandboxLocks {

    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    <T> T locked(String sessionId, Supplier<T> action) {
        var lock = locks.computeIfAbsent(sessionId, id -> new ReentrantLock());
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    /** The action's result, or empty at once when another thread holds the sandbox's lock. */
    <T> Optional<T> tryLocked(String sessionId, Supplier<T> action) {
        var lock = locks.computeIfAbsent(sessionId, id -> new ReentrantLock());
        if (!lock.tryLock()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(action.get());
        } finally {
            lock.unlock();
        }
    }
}
