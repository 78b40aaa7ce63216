package sh.chaser.agent.runtime.qemu;

import sh.chaser.agent.domain.Limits;

/**
 * How a sandbox's limits hold in a microVM. Inside: its RAM is the memory limit, its vCPUs the
 * CPU limit, and the sandbox user's process count is capped by the guest kernel (RLIMIT_NPROC set
 * by the guest's init; the agent, root in the guest, is exempt). Outside: the QEMU process sits in
 * a cgroup of its own with the vCPUs' CPU time, the guest's RAM plus QEMU's own overhead, and a
 * thread budget, so a VM cannot take more of the host than it was given even through QEMU.
 */
final class QemuLimits {

    /** QEMU's own memory beside the guest's RAM (code, device state, I/O buffers); TCG adds its translation cache. */
    static final long OVERHEAD_BYTES = 256L << 20;
    static final long TCG_CACHE_BYTES = 64L << 20;
    /** QEMU's threads: one per vCPU, its main loop, RCU, and a pool of up to 64 block-I/O workers. */
    static final int THREADS = 96;
    static final int MIN_MEMORY_MIB = 128;

    private QemuLimits() {
    }

    static long guestMemoryMiB(Limits limits) {
        return Math.max(MIN_MEMORY_MIB, limits.memoryBytes() >> 20);
    }

    /** The QEMU process's cgroup limits for a VM with these (already defaulted) limits. */
    static Limits forQemu(Limits limits, boolean kvm) {
        long memory = (guestMemoryMiB(limits) << 20) + OVERHEAD_BYTES + (kvm ? 0 : TCG_CACHE_BYTES);
        return new Limits(Math.max(1, limits.vcpus()), memory, THREADS + Math.max(1, limits.vcpus()));
    }
}
