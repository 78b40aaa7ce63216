package sh.chaser.agent.runtime.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.jboss.logging.Logger;
import sh.chaser.agent.host.ProcessTable;
import sh.chaser.agent.runtime.microvm.VmParts;
import sh.chaser.agent.runtime.microvm.Vmm;

/** QEMU as a microVM's monitor: started daemonized ({@link QemuVm}),
        stopped with QMP's quit (a kill when it does not answer). */
final class QemuVmm implements Vmm {

    private static final Logger LOG = Logger.getLogger(QemuVmm.class);
    /** QEMU's own memory beside the guest's RAM (code, device state, I/O buffers); TCG adds its translation cache. */
    static final long OVERHEAD_BYTES = 256L << 20;
    static final long TCG_CACHE_BYTES = 64L << 20;
    private final boolean kvm;

    QemuVmm(boolean kvm) {
        this.kvm = kvm;
    }

    @Override
    public long overheadBytes() {
        return OVERHEAD_BYTES + (kvm ? 0 : TCG_CACHE_BYTES);
    }

    @Override
    public Duration bootTimeout() {
        return Duration.ofSeconds(kvm ? 30 : 120);
    }

    @Override
    public long start(VmParts parts, java.util.function.LongConsumer started) {
        // QEMU runs the guest as it daemonizes: the pid comes with a running VM
        long pid = new QemuVm(parts, kvm).start();
        started.accept(pid);
        return pid;
    }

    @Override
    public void stop(Path dir, long pid, long ticks) {
        try {
            Qmp.execute(QemuVm.qmp(dir), "quit", Duration.ofSeconds(5));
        } catch (IOException e) {
            LOG.debugf("QEMU %d did not take quit over QMP (%s); killing it", pid, e.getMessage());
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (ProcessTable.alive(pid, ticks) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(10_000_000L);
        }
        if (ProcessTable.alive(pid, ticks)) {
            ProcessTable.kill(pid);
            deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (ProcessTable.alive(pid, ticks) && System.nanoTime() < deadline) {
                LockSupport.parkNanos(10_000_000L);
            }
        }
    }

    @Override
    public long runningPid(Path dir) {
        try {
            long pid = Long.parseLong(Files.readString(dir.resolve(QemuVm.PID_FILE)).strip());
            return ProcessTable.startTicks(pid) > 0
                    && Files.readString(Path.of("/proc", Long.toString(pid), "comm")).startsWith("qemu") ? pid : 0;
        } catch (IOException | NumberFormatException gone) {
            return 0;
        }
    }
}
