package sh.chaser.agent.runtime;

import java.util.Set;
import java.util.function.Supplier;
import sh.chaser.agent.domain.SandboxRecord;
import sh.chaser.agent.domain.SandboxRecord.RuntimeHandle;

/**
 * An isolation driver. Every method is idempotent and safe to repeat after a crash at any point:
 * the agent persists the handle a step returns through {@link Journal} before the next step runs.
 */
public interface VmRuntime {

    /** The name sandboxes report, e.g. {@code namespace}, {@code firecracker}. */
    String name();

    /** Refuses a spec this runtime cannot run (unknown image, ...) before anything is recorded. */
    default void check(sh.chaser.agent.domain.SandboxSpec spec) {
    }

    /**
     * Brings the sandbox up and returns once its init runs. Resources are announced through
     * {@code journal} before they are created, so a crash leaves nothing unaccounted for.
     */
    RuntimeHandle boot(SandboxRecord record, Journal journal);

    /** Whether the sandbox's init still runs (the same process, not a reused pid). */
    boolean alive(SandboxRecord record);

    /** Stops every process of the sandbox and releases everything the handle names; no-op when gone. */
    void destroy(SandboxRecord record);

    /**
     * Releases host resources of this agent that no known sandbox owns (after a crash). The
     * runtime lists what exists first and asks {@code known} afterwards: a sandbox is known before
     * it creates anything, so a boot running meanwhile never loses its fresh resources.
     */
    void sweepOrphans(Supplier<Set<String>> known);

    /**
     * A process builder for {@code command} inside the running sandbox, contained exactly like its
     * init (cgroup, namespaces, root, sandbox user), with the tenant's variables {@code env} (over
     * the session's) set inside the sandbox only; with {@code terminal} the command gets a terminal
     * of the sandbox's own, sized after the caller's. Runtimes without a way in refuse.
     */
    default ProcessBuilder enter(SandboxRecord record, java.util.List<String> command, java.util.Map<String, String> env,
            boolean terminal) {
        throw sh.chaser.agent.domain.AgentError.UNSUPPORTED_RUNTIME.exception("the " + name()
                + " runtime cannot run commands in its sandboxes yet");
    }

    /**
     * The address the host reaches the sandbox's TCP ports on, listeners on the sandbox's own
     * loopback included (port forwarding). Runtimes without one refuse.
     */
    default String address(SandboxRecord record) {
        throw sh.chaser.agent.domain.AgentError.UNSUPPORTED_RUNTIME.exception("the " + name()
                + " runtime cannot forward ports to its sandboxes yet");
    }

    /** Releases what the runtime keeps ready ahead of boots (graceful shutdown); sandboxes stay. */
    default void close() {
    }

    /** Persists a handle before the runtime creates what it names. */
    @FunctionalInterface
    interface Journal {
        void record(RuntimeHandle handle);
    }
}
