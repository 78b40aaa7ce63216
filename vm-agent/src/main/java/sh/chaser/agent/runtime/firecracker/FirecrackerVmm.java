package sh.chaser.agent.runtime.firecracker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import org.jboss.logging.Logger;
import sh.chaser.agent.domain.AgentError;
import sh.chaser.agent.host.Commands;
import sh.chaser.agent.host.ProcessTable;
import sh.chaser.agent.runtime.microvm.VmParts;
import sh.chaser.agent.runtime.microvm.Vmm;
import sh.chaser.agent.runtime.microvm.VmmLimits;

/**
 * Firecracker as a microVM's monitor, always under its jailer: one process per VM in a session of its
 * own (it outlives the vm-agent), chrooted in the VM's jail ({@link FirecrackerJail}) and running as
 * the VM's own uid ({@link VmParts#user}: one per network slot), which owns the VM's tap, its workspace image and its token disk and
 * nothing else. Configured through its API socket in the documented order (machine, boot source with
 * the platform's initramfs, drives in the guest's order, network, entropy), then InstanceStart.
 * Its serial console goes to the sandbox's console file. It has no graceful stop the guest would
 * honour without an i8042 driver, so it is killed once the guest has synced its disks.
 */
final class FirecrackerVmm implements Vmm {

    private static final Logger LOG = Logger.getLogger(FirecrackerVmm.class);
    static final String PID_FILE = "firecracker.pid";
    /** Firecracker's own memory beside the guest's RAM (its binary, device emulation, I/O buffers). */
    static final long OVERHEAD_BYTES = 128L << 20;
    private static final String WORKSPACE = "workspace.ext4";
    private static final String STATE = "vm.state";
    private static final String MEMORY = "vm.mem";
    private final String jailer;
    private final String binary;
    private final Path kernel;
    private final FirecrackerJail jail;

    FirecrackerVmm(String jailer, String binary, Path kernel, Path chrootBase) {
        this.jailer = jailer;
        this.binary = binary;
        this.kernel = kernel;
        this.jail = new FirecrackerJail(chrootBase, Path.of(binary).getFileName().toString());
    }

    Path apiSocket(String sessionId) {
        return jail.apiSocket(sessionId);
    }

    Path jailRoot(String sessionId) {
        return jail.root(sessionId);
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
    public long start(VmParts parts, LongConsumer started) {
        String id = FirecrackerJail.id(parts.sessionId());
        long user = parts.user();
        jail.remove(id);
        // the VM's own files become the VM's uid's; the shared, read-only ones stay root's and world-readable
        own(parts.workspace(), user, "rw-------");
        own(parts.config(), user, "r--------");
        long pid = 0;
        try {
            Map<String, String> inJail = bindAll(id, parts);
            pid = launch(parts, id, user, jail.apiSocket(id));
            started.accept(pid);
            configure(new FirecrackerApi(jail.apiSocket(id)), parts, inJail);
            return pid;
        } catch (RuntimeException e) {
            // nothing half-made stays: the process, the jail and its bind mounts go with the failed boot
            if (pid > 0) {
                stop(parts.dir(), pid, ProcessTable.startTicks(pid));
            }
            try {
                release(parts.dir());
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            if (e instanceof FirecrackerApi.Fault) {
                LOG.warnf("firecracker refused the configuration of %s: %s", parts.sessionId(), e.getMessage());
                throw AgentError.BOOT_FAILED.exception("the microVM could not be configured: " + e.getMessage());
            }
            throw e;
        }
    }

    /**
     * Firecracker's snapshots (KVM hosts; here proven against the API stand-in only): the vCPUs
     * paused, the device state and a full copy of the RAM written into the VM's jail, as the VM's uid.
     * A failure lets the VM run on.
     */
    @Override
    public boolean canPause() {
        return true;
    }

    @Override
    public void saveState(Path dir, Path state, Path memory) {
        String id = dir.getFileName().toString();
        var api = new FirecrackerApi(jail.apiSocket(id));
        try {
            long user = ((Number) Files.getAttribute(jail.root(id).resolve(WORKSPACE), "unix:uid")).longValue();
            Files.write(state, new byte[0]);
            own(state, user, "rw-------");
            own(memory, user, "rw-------");
            String stateIn = jail.bind(id, STATE, state, false);
            String memoryIn = jail.bind(id, MEMORY, memory, false);
            FirecrackerSnapshots.pauseVcpus(api);
            try {
                FirecrackerSnapshots.create(api, stateIn, memoryIn);
            } catch (RuntimeException e) {
                FirecrackerSnapshots.resumeVcpus(api);
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            throw AgentError.PAUSE_FAILED.exception("firecracker did not snapshot the VM: " + e.getMessage());
        }
    }

    /** A fresh jailed firecracker, nothing configured, loads the snapshot and runs it. */
    @Override
    public long startFrom(VmParts parts, Path state, LongConsumer started) {
        String id = FirecrackerJail.id(parts.sessionId());
        long user = parts.user();
        jail.remove(id);
        own(parts.workspace(), user, "rw-------");
        own(parts.config(), user, "r--------");
        own(state, user, "r--------");
        own(parts.memory(), user, "rw-------");
        long pid = 0;
        try {
            bindAll(id, parts);
            String stateIn = jail.bind(id, STATE, state, true);
            String memoryIn = jail.bind(id, MEMORY, parts.memory(), true);
            pid = launch(parts, id, user, jail.apiSocket(id));
            started.accept(pid);
            FirecrackerSnapshots.load(new FirecrackerApi(jail.apiSocket(id)), stateIn, memoryIn);
            return pid;
        } catch (RuntimeException e) {
            if (pid > 0) {
                stop(parts.dir(), pid, ProcessTable.startTicks(pid));
            }
            release(parts.dir());
            throw e instanceof FirecrackerApi.Fault
                    ? AgentError.BOOT_FAILED.exception("firecracker did not load the snapshot: " + e.getMessage())
                    : e;
        }
    }

    /** A VM an interrupted pause left with its vCPUs paused runs on. */
    @Override
    public void ensureRunning(Path dir) {
        var api = new FirecrackerApi(jail.apiSocket(dir.getFileName().toString()));
        if ("Paused".equals(FirecrackerSnapshots.state(api))) {
            FirecrackerSnapshots.resumeVcpus(api);
        }
    }

    /** The VM's files bound into its jail: each one's path as the jailed firecracker knows it. */
    private Map<String, String> bindAll(String id, VmParts parts) {
        Map<String, String> inJail = new LinkedHashMap<>();
        inJail.put("kernel", jail.bind(id, "vmlinux", kernel, true));
        inJail.put("initrd", jail.bind(id, "initramfs", parts.guest().initramfs(), true));
        inJail.put("root", jail.bind(id, "root.erofs", parts.root(), true));
        inJail.put("workspace", jail.bind(id, WORKSPACE, parts.workspace(), false));
        inJail.put("config", jail.bind(id, "config.img", parts.config(), true));
        if (parts.layer() != null) {
            inJail.put("layer", jail.bind(id, "layer.erofs", parts.layer(), true));
        }
        return inJail;
    }

    private static void configure(FirecrackerApi api, VmParts parts, Map<String, String> inJail) {
        api.put("/machine-config", Map.of("vcpu_count", Math.max(1, parts.limits().vcpus()),
                "mem_size_mib", VmmLimits.guestMemoryMiB(parts.limits()), "smt", false));
        api.put("/boot-source", Map.of("kernel_image_path", inJail.get("kernel"),
                "initrd_path", inJail.get("initrd"), "boot_args", parts.bootArgs()));
        // attached in this order: vda, vdb, vdc, vdd as the guest's init expects (none is Firecracker's root device)
        for (String drive : List.of("root", "workspace", "config", "layer")) {
            if (inJail.containsKey(drive)) {
                drive(api, drive, inJail.get(drive), !drive.equals("workspace"));
            }
        }
        api.put("/network-interfaces/eth0",
                Map.of("iface_id", "eth0", "host_dev_name", parts.tap(), "guest_mac", parts.mac()));
        api.put("/entropy", Map.of());
        api.put("/actions", Map.of("action_type", "InstanceStart"));
    }

    private static void own(Path file, long user, String mode) {
        Commands.run(List.of("chown", user + ":" + user, file.toString()));
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void drive(FirecrackerApi api, String id, String path, boolean readOnly) {
        var body = new LinkedHashMap<String, Object>();
        body.put("drive_id", id);
        body.put("path_on_host", path);
        body.put("is_root_device", false);
        body.put("is_read_only", readOnly);
        api.put("/drives/" + id, body);
    }

    /** Starts the jailer ({@link FirecrackerJail#start}) and waits for the API socket firecracker opens in the jail. */
    private long launch(VmParts parts, String id, long user, Path socket) {
        try {
            Process process = jail.start(jailer, binary, id, user, parts.console());
            // saved at once: an agent that dies from here on finds the VM by this file (adoption or sweep)
            Files.writeString(parts.dir().resolve(PID_FILE), Long.toString(process.pid()));
            var api = new FirecrackerApi(socket);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!(Files.exists(socket) && api.answers())) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw AgentError.BOOT_FAILED.exception("firecracker did not open its API socket under the jailer"
                            + " (its output is in " + parts.console() + ")");
                }
                LockSupport.parkNanos(2_000_000L);
            }
            return process.pid();
        } catch (IOException e) {
            throw AgentError.BOOT_FAILED.exception("the jailer did not start: " + e.getMessage());
        }
    }

    @Override
    public void stop(Path dir, long pid, long ticks) {
        ProcessTable.kill(pid);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (ProcessTable.alive(pid, ticks) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(10_000_000L);
        }
    }

    /** Fails when a bind will not come off: destroy fails with it and the reconcile loop tries again. */
    @Override
    public void release(Path dir) {
        jail.remove(dir.getFileName().toString());
    }

    /** The pid file's process while it is this sandbox's jailer, or the firecracker it became. */
    @Override
    public long runningPid(Path dir) {
        String id = dir.getFileName().toString();
        try {
            long pid = Long.parseLong(Files.readString(dir.resolve(PID_FILE)).strip());
            String commandLine = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"));
            boolean ours = commandLine.contains("--id\0" + id + "\0") || commandLine.contains("--id=" + id + "\0");
            return ProcessTable.startTicks(pid) > 0 && ours ? pid : 0;
        } catch (IOException | NumberFormatException gone) {
            return 0;
        }
    }
}
