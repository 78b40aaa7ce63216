package sh.chaser.agent.runtime.microvm;

import sh.chaser.agent.domain.Limits;

/**
 * How a sandbox's limits hold in a microVM. Inside: its RAM is the memory limit, its vCPUs the
 * CPU limit, and the sandbox user's process count is capped by the guest kernel (RLIMIT_NPROC set
 * by the guest's init; the agent, root in the guest, is exempt). Outside: the VMM process sits in
 * a cgroup of its own with the vCPUs' CPU time, the guest's RAM plus the VMM's own overhead, and a
 * thread budget, so a VM cannot take more of the host than it was given even through its VMM.
 */
public final class VmmLimits {

    /** QEMU's threads: one per vCPU, its main loop, RCU,
            and a pool of up to 64 block-I/O workers (Firecracker needs fewer). */
    static final int THREADS = 96;
    static final int MIN_MEMORY_MIB = 128;

    private VmmLimits() {}

    public static long guestMemoryMiB(Limits limits) {
        return Math.max(MIN_MEMORY_MIB, limits.memoryBytes() >> 20);
    }

    /** The VMM process's cgroup limits for a VM with these (already defaulted) limits and the VMM's own memory beside the guest's. */
    static Limits forVmm(Limits limits, long overheadBytes) {
        long memory = (guestMemoryMiB(limits) << 20) + overheadBytes;
        return new Limits(Math.max(1, limits.vcpus()), memory, THREADS + Math.max(1, limits.vcpus()));
    }
}
