package sh.chaser.agent.runtime.microvm;

import java.nio.file.Path;

/**
 * What differs between microVM monitors (QEMU, Firecracker): how a VM is started from the parts
 * every VM shares ({@link VmParts}), how it is stopped, which process a pid file names. Everything
 * else (disks, network, limits, the guest agent, destroy and adoption) is {@link MicroVmHost}'s.
 */
public interface Vmm {

    /** The VMM's memory beside the guest's RAM (code, device state, I/O buffers, a TCG cache). */
    long overheadBytes();

    /** How long a boot may take until the guest agent answers. */
    java.time.Duration bootTimeout();

    /**
     * Starts the VM, detached from the vm-agent (VMs outlive it); its pid once it runs. {@code started}
     * hears the VMM's pid as soon as there is one (before the guest runs where the VMM allows it), to
     * put it in its cgroup.
     */
    long start(VmParts parts, java.util.function.LongConsumer started);

    /** Whether {@link #saveState} and {@link #startFrom} work here. */
    default boolean canPause() {
        return false;
    }

    /**
     * Stops the running VM and writes its devices' state to {@code state} and its RAM to {@code memory}
     * (where it does not live there already: QEMU's RAM is that file, {@link VmParts#memory}). The VM
     * is left stopped, not ended; a failure lets it run on. VMMs that cannot refuse.
     */
    default void saveState(Path dir, Path state, Path memory) {
        throw sh.chaser.agent.domain.AgentError.UNSUPPORTED_RUNTIME
                .exception("this VMM cannot pause a VM here");
    }

    /**
     * Starts the VM from a {@link #saveState saved state} and its memory file ({@link VmParts#memory})
     * instead of booting it: running again where it stopped, once this returns.
     */
    default long startFrom(VmParts parts, Path state, java.util.function.LongConsumer started) {
        throw sh.chaser.agent.domain.AgentError.UNSUPPORTED_RUNTIME
                .exception("this VMM cannot resume a VM here");
    }

    /** Whether a saved VM can be started more than once, each with a new identity ({@link #askGuest}). */
    default boolean canFork() {
        return false;
    }

    /**
     * Sends one line to the guest agent's control port, which works without the network (a fork's
     * new identity), and returns its answer line. VMMs without such a port refuse.
     */
    default String askGuest(Path dir, String line, java.time.Duration timeout) {
        throw sh.chaser.agent.domain.AgentError.UNSUPPORTED_RUNTIME
                .exception("this VMM has no control port to its guests");
    }

    /**
     * Lets a VM that an interrupted pause stopped, or an interrupted resume started, run (waiting while
     * it still loads its saved state); nothing for a VM that runs.
     */
    default void ensureRunning(Path dir) {}

    /** Stops the VM this pid is (asks the VMM first where it can be asked), waiting a bounded time. */
    void stop(Path dir, long pid, long ticks);

    /** Removes what the VMM keeps for a VM beside its directory (Firecracker's jail), once the VM is gone. */
    default void release(Path dir) {}

    /** The pid the VMM's pid file in {@code dir} names while that process is this VMM, else 0. */
    long runningPid(Path dir);
}
