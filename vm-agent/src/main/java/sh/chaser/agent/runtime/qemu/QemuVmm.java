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
        long pid = new QemuVm(parts, kvm, false).start();
        started.accept(pid);
        return pid;
    }

    /**
     * QMP: devices only ({@code x-ignore-shared}: the RAM is in the shared memory file), the VM
     * stopped first, the stream into a file the agent opened and handed to QEMU. A failure after
     * the stop lets the VM run on, so a pause that did not happen changes nothing.
     */
    @Override
    public boolean canPause() {
        return true;
    }

    @Override
    public void saveState(Path dir, Path state, Path memory) {
        try (QmpSession qmp = QmpSession.open(QemuVm.qmp(dir), QMP_TIMEOUT);
                var file = new java.io.FileOutputStream(state.toFile())) {
            qmp.execute("migrate-set-capabilities", IGNORE_SHARED);
            qmp.execute("stop", null);
            try {
                qmp.passFile("state", file.getFD());
                qmp.execute("migrate", new io.vertx.core.json.JsonObject().put("uri", "fd:state"));
                qmp.awaitMigration(MIGRATION_TIMEOUT);
                file.getFD().sync();
            } catch (IOException | RuntimeException e) {
                qmp.execute("cont", null);
                throw e;
            }
        } catch (IOException e) {
            throw sh.chaser.agent.domain.AgentError.PAUSE_FAILED.exception("QEMU did not save the VM: "
                    + e.getMessage());
        }
    }

    @Override
    public void ensureRunning(Path dir) {
        try (QmpSession qmp = QmpSession.open(QemuVm.qmp(dir), QMP_TIMEOUT)) {
            qmp.awaitIncoming(MIGRATION_TIMEOUT);
        } catch (IOException e) {
            throw sh.chaser.agent.domain.AgentError.PAUSE_FAILED.exception("QEMU does not run the VM on: "
                    + e.getMessage());
        }
    }

    @Override
    public long startFrom(VmParts parts, Path state, java.util.function.LongConsumer started) {
        long pid = new QemuVm(parts, kvm, true).start();
        started.accept(pid);
        try (QmpSession qmp = QmpSession.open(QemuVm.qmp(parts.dir()), QMP_TIMEOUT);
                var file = new java.io.FileInputStream(state.toFile())) {
            qmp.execute("migrate-set-capabilities", IGNORE_SHARED);
            qmp.passFile("state", file.getFD());
            qmp.execute("migrate-incoming", new io.vertx.core.json.JsonObject().put("uri", "fd:state"));
            qmp.awaitIncoming(MIGRATION_TIMEOUT);
            return pid;
        } catch (IOException e) {
            throw sh.chaser.agent.domain.AgentError.BOOT_FAILED.exception("QEMU did not load the saved VM: "
                    + e.getMessage());
        }
    }

    @Override
    public boolean canFork() {
        return true;
    }

    @Override
    public String askGuest(Path dir, String line, Duration timeout) {
        try {
            return QemuControl.ask(QemuVm.control(dir), line, timeout);
        } catch (IOException e) {
            throw sh.chaser.agent.domain.AgentError.BOOT_FAILED.exception("the guest's control port did not answer: "
                    + e.getMessage());
        }
    }

    private static final Duration QMP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration MIGRATION_TIMEOUT = Duration.ofMinutes(2);
    private static final io.vertx.core.json.JsonObject IGNORE_SHARED = new io.vertx.core.json.JsonObject()
            .put("capabilities", new io.vertx.core.json.JsonArray()
                    .add(new io.vertx.core.json.JsonObject().put("capability", "x-ignore-shared").put("state", true)));

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
