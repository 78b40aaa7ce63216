package sh.chaser.agent.runtime.firecracker;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.jboss.logging.Logger;
import sh.chaser.agent.domain.AgentError;
import sh.chaser.agent.runtime.Commands;
import sh.chaser.agent.runtime.ProcessTable;
import sh.chaser.agent.runtime.microvm.VmParts;
import sh.chaser.agent.runtime.microvm.Vmm;
import sh.chaser.agent.runtime.microvm.VmmLimits;

/**
 * Firecracker as a microVM's monitor: one process per VM in a session of its own (it outlives the
 * vm-agent), configured through its API socket in the documented order (machine, boot source with
 * the platform's initramfs, drives in the guest's order, network, entropy), then InstanceStart.
 * Its serial console goes to the sandbox's console file. It has no graceful stop the guest would
 * honour without an i8042 driver, so it is killed once the guest has synced its disks.
 */
final class FirecrackerVmm implements Vmm {

    private static final Logger LOG = Logger.getLogger(FirecrackerVmm.class);
    static final String PID_FILE = "firecracker.pid";
    /** Firecracker's own memory beside the guest's RAM (its binary, device emulation, I/O buffers). */
    static final long OVERHEAD_BYTES = 128L << 20;
    private final String binary;
    private final Path kernel;
    private final Path socketDir;

    FirecrackerVmm(String binary, Path kernel, Path socketDir) {
        this.binary = binary;
        this.kernel = kernel;
        this.socketDir = socketDir;
    }

    /** Sockets live in a short directory: a Unix socket path holds at most 107 bytes. */
    Path apiSocket(String sessionId) {
        return socketDir.resolve(sessionId + ".sock");
    }

    @Override
    public long overheadBytes() {
        return OVERHEAD_BYTES;
    }

    @Override
    public Duration bootTimeout() {
        return Duration.ofSeconds(120);
    }

    @Override
    public long start(VmParts parts) {
        Path socket = apiSocket(parts.sessionId());
        long pid = launch(parts, socket);
        var api = new FirecrackerApi(socket);
        try {
            api.put("/machine-config", Map.of("vcpu_count", Math.max(1, parts.limits().vcpus()),
                    "mem_size_mib", VmmLimits.guestMemoryMiB(parts.limits()), "smt", false));
            api.put("/boot-source", Map.of("kernel_image_path", kernel.toString(),
                    "initrd_path", parts.guest().initramfs().toString(), "boot_args", parts.bootArgs()));
            // attached in this order: vda, vdb, vdc, vdd as the guest's init expects (none is Firecracker's root device)
            drive(api, "root", parts.root(), true);
            drive(api, "workspace", parts.workspace(), false);
            drive(api, "config", parts.config(), true);
            if (parts.layer() != null) {
                drive(api, "layer", parts.layer(), true);
            }
            api.put("/network-interfaces/eth0", Map.of("iface_id", "eth0", "host_dev_name", parts.tap(), "guest_mac", parts.mac()));
            api.put("/entropy", Map.of());
            api.put("/actions", Map.of("action_type", "InstanceStart"));
            return pid;
        } catch (FirecrackerApi.Fault e) {
            LOG.warnf("firecracker refused the configuration of %s: %s", parts.sessionId(), e.getMessage());
            stop(parts.dir(), pid, ProcessTable.startTicks(pid));
            throw AgentError.BOOT_FAILED.exception("the microVM could not be configured: " + e.getMessage());
        }
    }

    private static void drive(FirecrackerApi api, String id, Path file, boolean readOnly) {
        var body = new LinkedHashMap<String, Object>();
        body.put("drive_id", id);
        body.put("path_on_host", file.toString());
        body.put("is_root_device", false);
        body.put("is_read_only", readOnly);
        api.put("/drives/" + id, body);
    }

    private long launch(VmParts parts, Path socket) {
        try {
            Files.createDirectories(socketDir);
            Files.deleteIfExists(socket);
            Process process = new ProcessBuilder(Commands.executable("setsid"), binary, "--api-sock", socket.toString(),
                    "--id", parts.sessionId())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(parts.console().toFile()))
                    .redirectErrorStream(true).start();
            // saved at once: an agent that dies from here on finds the VM by this file (adoption or sweep)
            Files.writeString(parts.dir().resolve(PID_FILE), Long.toString(process.pid()));
            var api = new FirecrackerApi(socket);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!(Files.exists(socket) && api.answers())) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw AgentError.BOOT_FAILED.exception("firecracker did not open its API socket");
                }
                LockSupport.parkNanos(2_000_000L);
            }
            return process.pid();
        } catch (IOException e) {
            throw AgentError.BOOT_FAILED.exception("firecracker did not start: " + e.getMessage());
        }
    }

    @Override
    public void stop(Path dir, long pid, long ticks) {
        ProcessTable.kill(pid);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (ProcessTable.alive(pid, ticks) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(10_000_000L);
        }
        try {
            Files.deleteIfExists(apiSocket(dir.getFileName().toString()));
        } catch (IOException e) {
            LOG.debugf("could not remove the API socket of %s: %s", dir.getFileName(), e.getMessage());
        }
    }

    /** The pid file's process while it is a firecracker serving this sandbox's API socket. */
    @Override
    public long runningPid(Path dir) {
        try {
            long pid = Long.parseLong(Files.readString(dir.resolve(PID_FILE)).strip());
            String commandLine = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"));
            return ProcessTable.startTicks(pid) > 0
                    && commandLine.contains("--api-sock\0" + apiSocket(dir.getFileName().toString())) ? pid : 0;
        } catch (IOException | NumberFormatException gone) {
            return 0;
        }
    }
}
