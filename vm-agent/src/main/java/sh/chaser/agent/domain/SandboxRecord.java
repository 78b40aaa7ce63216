package sh.chaser.agent.domain;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The agent's durable knowledge of one sandbox: what was asked ({@code spec}, {@code desired}) and
 * what the runtime made of it ({@code status}, the process and the host resources it holds). It is
 * written before each step that creates something on the host, so a restarted agent knows what to
 * adopt or clean up.
 */
public record SandboxRecord(SandboxSpec spec, Desired desired, SandboxStatus status, String runtime,
        RuntimeHandle handle, Instant startedAt, String exitReason) {

    public enum Desired {
        RUNNING,
        PAUSED,
        DESTROYED
    }

    public static SandboxRecord requested(SandboxSpec spec, String runtime) {
        return new SandboxRecord(spec, Desired.RUNNING, SandboxStatus.BOOTING, runtime, RuntimeHandle.NONE, null, "");
    }

    public String sessionId() {
        return spec.sessionId();
    }

    public SandboxRecord withHandle(RuntimeHandle next) {
        return new SandboxRecord(spec, desired, status, runtime, next, startedAt, exitReason);
    }

    public SandboxRecord running(RuntimeHandle next, Instant at) {
        return new SandboxRecord(spec, desired, SandboxStatus.RUNNING, runtime, next, at, "");
    }

    public SandboxRecord ended(SandboxStatus end, String reason) {
        return new SandboxRecord(spec, desired, end, runtime, RuntimeHandle.NONE, startedAt, reason);
    }

    public SandboxRecord wanting(Desired next) {
        return new SandboxRecord(spec, next, status, runtime, handle, startedAt, exitReason);
    }

    public SandboxRecord paused(RuntimeHandle next) {
        return new SandboxRecord(spec, desired, SandboxStatus.PAUSED, runtime, next, startedAt, "");
    }

    public SandboxRecord destroying() {
        return new SandboxRecord(spec, Desired.DESTROYED, status, runtime, handle, startedAt, exitReason);
    }

    /** Where a runtime keeps what it needs to find its sandbox again: init pid and named resources. */
    public record RuntimeHandle(long pid, long startTicks, Map<String, String> resources) {

        public static final RuntimeHandle NONE = new RuntimeHandle(0, 0, Map.of());

        public RuntimeHandle {
            resources = Map.copyOf(resources == null ? Map.of() : resources);
        }

        public RuntimeHandle with(String key, String value) {
            var next = new HashMap<>(resources);
            next.put(key, value);
            return new RuntimeHandle(pid, startTicks, next);
        }

        public RuntimeHandle withProcess(long nextPid, long nextStartTicks) {
            return new RuntimeHandle(nextPid, nextStartTicks, resources);
        }

        public String resource(String key) {
            return resources.get(key);
        }
    }
}
