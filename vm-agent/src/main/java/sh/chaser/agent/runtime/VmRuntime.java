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

    /** What sessions on it are, for a person (the agent's health data; {@code ./chaser up} prints it). */
    default String describe() {
        return name();
    }

    /** Refuses a spec this runtime cannot run (unknown image, ...) before anything is recorded. */
    default void check(sh.chaser.agent.domain.SandboxSpec spec) {}

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
     * The part of {@link #destroy} a Destroy call waits for: once it returns nothing of the sandbox
     * runs any more. What it leaves (cgroups, network, scratch disk) is released by a later
     * {@link #destroy}, off the caller's path. By default the whole destroy.
     */
    default void stop(SandboxRecord record) {
        destroy(record);
    }

    /**
     * Releases host resources of this agent that no known sandbox owns (after a crash). The
     * runtime lists what exists first and asks {@code known} afterwards: a sandbox is known before
     * it creates anything, so a boot running meanwhile never loses its fresh resources.
     */
    void sweepOrphans(Supplier<Set<String>> known);

    /**
     * Pauses the running sandbox: its memory and devices saved on the host's disk, its processes
     * and host resources (CPU, memory, cgroup) gone, its network slot kept. Repeatable after a crash
     * at any point. The handle returned names no process. Runtimes that cannot refuse.
     */
    default RuntimeHandle pause(SandboxRecord record) {
        throw sh.chaser.agent.domain.AgentError.UNSUPPORTED_RUNTIME.exception("the " + name()
                + " runtime cannot pause its sandboxes");
    }

    /**
     * Runs a paused sandbox again where it stopped, the new process announced through {@code journal}
     * as soon as there is one; repeatable until it returns.
     */
    default RuntimeHandle resume(SandboxRecord record, Journal journal) {
        throw sh.chaser.agent.domain.AgentError.UNSUPPORTED_RUNTIME.exception("the " + name()
                + " runtime cannot resume its sandboxes");
    }

    /** Refuses a paused sandbox that cannot be forked; its saved state checked once, before its children. */
    default void checkForkable(SandboxRecord parent) {
        throw sh.chaser.agent.domain.AgentError.UNSUPPORTED_RUNTIME.exception("the " + name()
                + " runtime cannot fork its sandboxes");
    }

    /**
     * Starts {@code child} from the sealed pause of {@code parent} (one {@link #checkForkable} accepted) (its memory, devices and a clone of
     * its disk), on resources of its own, the new process announced through {@code journal} as soon as
     * there is one. Runtimes whose sandboxes have no memory state to start from refuse.
     */
    default RuntimeHandle fork(SandboxRecord parent, SandboxRecord child, Journal journal) {
        throw sh.chaser.agent.domain.AgentError.UNSUPPORTED_RUNTIME.exception("the " + name()
                + " runtime cannot fork its sandboxes");
    }

    /** How its paused sandboxes move to other hosts, and theirs here; runtimes that cannot pause refuse. */
    default PausedMover mover() {
        throw sh.chaser.agent.domain.AgentError.UNSUPPORTED_RUNTIME.exception("the " + name()
                + " runtime cannot move its sandboxes to another host");
    }

    /** Whether a pause of the sandbox was sealed (its state saved in full). */
    default boolean paused(SandboxRecord record) {
        return false;
    }

    /**
     * The guest agent inside the running sandbox (vm-agent/guest): the one way in for commands,
     * files and terminals, contained exactly like the sandbox's init. Runtimes without one refuse.
     */
    default sh.chaser.agent.guest.GuestClient guest(SandboxRecord record) {
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

    /** Where forwarded requests for {@code port} go; the sandbox's address unless the runtime says otherwise. */
    default ForwardTarget forwardTarget(SandboxRecord record, int port) {
        return ForwardTarget.direct(address(record), port);
    }

    /** Where a raw TCP connection to {@code port} goes (ssh -L); the sandbox's address unless the runtime says otherwise. */
    default TcpTarget tcpTarget(SandboxRecord record, int port) {
        return TcpTarget.direct(address(record), port);
    }

    /**
     * Makes ready ahead of the first boot what boots need (called once at start, in the background,
     * after the default image is ready); the host is ready once it returned.
     */
    default void prepare() {}

    /** Releases what the runtime keeps ready ahead of boots (graceful shutdown); sandboxes stay. */
    default void close() {}

    /** Persists a handle before the runtime creates what it names. */
    @FunctionalInterface
    interface Journal {

        void record(RuntimeHandle handle);
    }
}
