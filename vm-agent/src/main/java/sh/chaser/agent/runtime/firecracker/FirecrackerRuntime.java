package sh.chaser.agent.runtime.firecracker;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import sh.chaser.agent.config.AgentConfig;
import sh.chaser.agent.domain.AgentError;
import sh.chaser.agent.domain.Limits;
import sh.chaser.agent.domain.SandboxRecord;
import sh.chaser.agent.domain.SandboxRecord.RuntimeHandle;
import sh.chaser.agent.runtime.Commands;
import sh.chaser.agent.runtime.Files2;
import sh.chaser.agent.runtime.ProcessTable;
import sh.chaser.agent.runtime.SandboxPaths;
import sh.chaser.agent.runtime.VmRuntime;

/**
 * MicroVMs with Firecracker (KVM hosts). One firecracker process per sandbox, configured through
 * its API socket in the documented order: machine config, boot source, drives, network, vsock,
 * then InstanceStart. The guest's workspace is a block device file; its network a tap device
 * {@code fct<8 hex>} created here. Pause, resume and snapshots go through the same API.
 */
public final class FirecrackerRuntime implements VmRuntime {

    public static final String NAME = "firecracker";
    public static final int GUEST_CID = 3;
    private static final Logger LOG = Logger.getLogger(FirecrackerRuntime.class);
    private final AgentConfig.Firecracker config;
    private final SandboxPaths paths;
    private final Limits defaults;

    public FirecrackerRuntime(AgentConfig.Firecracker config, SandboxPaths paths, Limits defaults) {
        this.config = config;
        this.paths = paths;
        this.defaults = defaults;
    }

    /** Firecracker needs a usable KVM ({@link sh.chaser.agent.runtime.Kvm}) and a configured binary, kernel and root filesystem. */
    public static boolean usable(AgentConfig.Firecracker config) {
        return usable(config, Path.of("/proc/cpuinfo"));
    }

    public static boolean usable(AgentConfig.Firecracker config, Path cpuinfo) {
        if (config.binary().isEmpty() || config.kernel().isEmpty() || config.rootfs().isEmpty()
                || !Files.isExecutable(Path.of(config.binary().get()))) {
            return false;
        }
        return sh.chaser.agent.runtime.Kvm.usable(Path.of(config.kvmDevice()), cpuinfo);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String describe() {
        return "microVMs (Firecracker with KVM)";
    }

    /** Sockets live in a short directory: a Unix socket path holds at most 107 bytes. */
    public Path apiSocket(String sessionId) {
        return Path.of(config.socketDir(), sessionId + ".sock");
    }

    private Path vsockSocket(String sessionId) {
        return Path.of(config.socketDir(), sessionId + ".vsock");
    }

    static String tap(String sessionId) {
        return "fct" + sessionId.substring(0, 8);
    }

    @Override
    public RuntimeHandle boot(SandboxRecord record, Journal journal) {
        String sessionId = record.sessionId();
        Path socket = apiSocket(sessionId);
        Path workspace = workspaceImage(record);
        journal.record(record.handle().with("api_socket", socket.toString()).with("tap", tap(sessionId)));
        Commands.run(List.of("ip", "tuntap", "add", "dev", tap(sessionId), "mode", "tap"));
        Commands.run(List.of("ip", "link", "set", tap(sessionId), "up"));
        long pid = launch(sessionId, socket);
        var api = new FirecrackerApi(socket);
        Limits limits = record.spec().limits().orDefaults(defaults);
        try {
            api.put("/machine-config", Map.of("vcpu_count", limits.vcpus(), "mem_size_mib", limits.memoryBytes() >> 20,
                    "smt", false));
            api.put("/boot-source", Map.of("kernel_image_path", config.kernel().orElseThrow(),
                    "boot_args", config.bootArgs()));
            api.put("/drives/rootfs", Map.of("drive_id", "rootfs", "path_on_host", config.rootfs().orElseThrow(),
                    "is_root_device", true, "is_read_only", true));
            api.put("/drives/workspace", Map.of("drive_id", "workspace", "path_on_host", workspace.toString(),
                    "is_root_device", false, "is_read_only", false));
            api.put("/network-interfaces/eth0", Map.of("iface_id", "eth0", "host_dev_name", tap(sessionId),
                    "guest_mac", mac(sessionId)));
            api.put("/vsock", Map.of("guest_cid", GUEST_CID, "uds_path", vsockSocket(sessionId).toString()));
            api.put("/actions", Map.of("action_type", "InstanceStart"));
        } catch (FirecrackerApi.Fault e) {
            LOG.warnf("firecracker refused the configuration of %s: %s", sessionId, e.getMessage());
            throw AgentError.BOOT_FAILED.exception("the microVM could not be configured");
        }
        return record.handle().with("api_socket", socket.toString()).with("tap", tap(sessionId))
                .withProcess(pid, ProcessTable.startTicks(pid));
    }

    private long launch(String sessionId, Path socket) {
        try {
            Files.createDirectories(socket.getParent());
            Files.deleteIfExists(socket);
            Process process = new ProcessBuilder(Commands.executable("setsid"), config.binary().orElseThrow(),
                    "--api-sock", socket.toString(), "--id", sessionId)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(paths.initLog(sessionId).toFile()))
                    .redirectErrorStream(true).start();
            var api = new FirecrackerApi(socket);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!(Files.exists(socket) && api.answers())) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw AgentError.BOOT_FAILED.exception("firecracker did not open its API socket");
                }
                Thread.sleep(2);
            }
            return process.pid();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Path workspaceImage(SandboxRecord record) {
        Path image = Path.of(paths.workspace(record.spec()) + ".img");
        Files2.createDirectories(image.getParent());
        if (!Files.exists(image)) {
            try (var file = new RandomAccessFile(image.toFile(), "rw")) {
                file.setLength(10L << 30); // sparse; the guest formats it on first boot
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return image;
    }

    public void pause(SandboxRecord record) {
        api(record).patch("/vm", Map.of("state", "Paused"));
    }

    public void resume(SandboxRecord record) {
        api(record).patch("/vm", Map.of("state", "Resumed"));
    }

    /** A full snapshot of a paused microVM: its state file and its memory file. */
    public void snapshot(SandboxRecord record, Path stateFile, Path memoryFile) {
        api(record).put("/snapshot/create", Map.of("snapshot_type", "Full", "snapshot_path", stateFile.toString(),
                "mem_file_path", memoryFile.toString()));
    }

    /** Loads a snapshot into a fresh firecracker process (nothing configured yet) and resumes it. */
    public void load(Path socket, Path stateFile, Path memoryFile) {
        new FirecrackerApi(socket).put("/snapshot/load", Map.of("snapshot_path", stateFile.toString(),
                "mem_backend", Map.of("backend_type", "File", "backend_path", memoryFile.toString()), "resume_vm", true));
    }

    private static FirecrackerApi api(SandboxRecord record) {
        return new FirecrackerApi(Path.of(record.handle().resource("api_socket")));
    }

    @Override
    public boolean alive(SandboxRecord record) {
        return ProcessTable.alive(record.handle().pid(), record.handle().startTicks());
    }

    @Override
    public void destroy(SandboxRecord record) {
        if (alive(record)) {
            ProcessTable.kill(record.handle().pid());
        }
        String tap = tap(record.sessionId());
        if (Files.exists(Path.of("/sys/class/net", tap))) {
            Commands.run(List.of("ip", "link", "delete", tap));
        }
        if (record.spec().ephemeral()) {
            Files2.deleteRecursively(Path.of(paths.workspace(record.spec()) + ".img"));
        }
        Files2.deleteRecursively(apiSocket(record.sessionId()));
        Files2.deleteRecursively(vsockSocket(record.sessionId()));
    }

    @Override
    public void sweepOrphans(Supplier<Set<String>> known) {
        // a firecracker process belongs to a sandbox directory; orphans die with their directory's record
    }

    private static String mac(String sessionId) {
        String hex = sessionId.replace("-", "");
        return "06:00:" + hex.substring(0, 2) + ":" + hex.substring(2, 4) + ":" + hex.substring(4, 6) + ":" + hex.substring(6, 8);
    }
}
