package sh.chaser.agent.runtime.qemu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import sh.chaser.agent.disk.DiskStore;
import sh.chaser.agent.domain.AgentError;
import sh.chaser.agent.domain.Limits;
import sh.chaser.agent.domain.SandboxRecord;
import sh.chaser.agent.domain.SandboxRecord.RuntimeHandle;
import sh.chaser.agent.domain.SandboxSpec;
import sh.chaser.agent.domain.SessionEnvironment;
import sh.chaser.agent.guest.GuestClient;
import sh.chaser.agent.guest.GuestToken;
import sh.chaser.agent.image.ImageStore;
import sh.chaser.agent.runtime.Files2;
import sh.chaser.agent.runtime.HostDirectories;
import sh.chaser.agent.runtime.ProcessTable;
import sh.chaser.agent.runtime.SandboxPaths;
import sh.chaser.agent.runtime.VmRuntime;
import sh.chaser.agent.runtime.namespace.BrowserInit;
import sh.chaser.agent.runtime.namespace.Cgroups;
import sh.chaser.agent.runtime.namespace.SandboxNetwork;

/**
 * Sandboxes as QEMU microVMs ({@code -M microvm}; KVM where /dev/kvm is usable, TCG otherwise):
 * the platform's kernel and initramfs ({@link GuestVmImage}), the image's root as an erofs disk
 * ({@link ErofsImages}) under a tmpfs overlay in the guest, the workspace as an ext4 image inside
 * its disk ({@link WorkspaceImage}), a tap on the same address plan and host firewall as the
 * namespace runtime's veths ({@link SandboxNetwork#setUpTap}), and the guest agent inside as the
 * one way in. Boot steps: claim a slot (journaled first), make the tap, start QEMU (daemonized:
 * VMs outlive the vm-agent, which adopts them by pid and start time); the sandbox runs once the
 * guest agent answers.
 */
public final class QemuRuntime implements VmRuntime {

    public static final String NAME = "qemu";
    private static final Logger LOG = Logger.getLogger(QemuRuntime.class);

    /** What every VM shares: its kernel and initramfs, the agent's port, KVM or not, the workspace image size. */
    public record Setup(Path buildScript, Path guestBinary, Path cacheDir, int guestPort, boolean kvm, long workspaceBytes) {
    }

    private final String owner;
    private final SandboxPaths paths;
    private final ImageStore images;
    private final SandboxNetwork network;
    private final Cgroups cgroups;
    private final Limits defaults;
    private final DiskStore disks;
    private final Setup setup;
    private final GuestVmImage guestVm;
    private final ErofsImages erofs;
    private final BrowserLayer browserLayer;
    private final Map<String, GuestClient> guests = new ConcurrentHashMap<>();

    public QemuRuntime(String owner, SandboxPaths paths, ImageStore images, SandboxNetwork network, Cgroups cgroups,
            Limits defaults, DiskStore disks, Setup setup) {
        this.owner = owner;
        this.paths = paths;
        this.images = images;
        this.network = network;
        this.cgroups = cgroups;
        this.defaults = defaults;
        this.disks = disks;
        this.setup = setup;
        this.guestVm = new GuestVmImage(setup.cacheDir(), setup.buildScript(), setup.guestBinary());
        this.erofs = new ErofsImages(setup.cacheDir());
        this.browserLayer = new BrowserLayer(setup.cacheDir());
    }

    /** The script that builds the microVMs' kernel and initramfs, where this installation has it. */
    public static java.util.Optional<Path> buildScript() {
        return GuestVmImage.findBuildScript();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String describe() {
        return setup.kvm() ? "microVMs (QEMU with KVM)"
                : "microVMs (QEMU under TCG: no usable KVM here, so seconds per boot)";
    }

    /** The kernel and initramfs (a download the first time) and the default image's root disk. */
    @Override
    public void prepare() {
        try {
            guestVm.ensure();
            erofs.of(images.resolve(ImageStore.BASE));
        } catch (RuntimeException e) {
            LOG.warnf("the qemu runtime could not prepare its boots (%s); each boot tries again", e.getMessage());
        }
    }

    @Override
    public void check(SandboxSpec spec) {
        if (isBrowser(spec) && !BrowserInit.installed()) {
            throw AgentError.RUNTIME_UNAVAILABLE.exception("Chromium is not installed on this host (apt-get install chromium)");
        }
        if (!images.resolve(spec.image()).readOnlyBinds().isEmpty()) {
            throw AgentError.RUNTIME_UNAVAILABLE.exception("image " + spec.image() + " borrows the host's directories"
                    + " and cannot boot in a microVM (is the default image still being prepared?)");
        }
    }

    @Override
    public RuntimeHandle boot(SandboxRecord record, Journal journal) {
        SandboxSpec spec = record.spec();
        String sessionId = spec.sessionId();
        GuestVmImage.Files guest = guestVm.ensure();
        var image = images.resolve(spec.image());
        Path root = erofs.of(image);
        Path layer = isBrowser(spec) ? browserLayer.of(image.rootfs()) : null;
        Path disk = spec.ephemeral() ? disks.scratch(sessionId) : disks.create(spec.workspaceId());
        Path workspace = WorkspaceImage.ensure(disk, setup.workspaceBytes());
        int slot = network.claim(owner, sessionId);
        RuntimeHandle handle = record.handle().with("net_slot", Integer.toString(slot)).with("cgroup", group(sessionId));
        journal.record(handle);
        Limits limits = spec.limits().orDefaults(isBrowser(spec) ? defaults.forBrowser() : defaults);
        cgroups.create(group(sessionId), QemuLimits.forQemu(limits, setup.kvm()));
        network.setUpTap(slot);
        Path dir = paths.sandbox(sessionId);
        Files2.createDirectories(dir);
        HostDirectories.ownerOnly(dir);
        stopLeftover(dir.resolve("qemu.pid"));
        QemuVm vm = new QemuVm(dir, guest, root, layer, workspace, SandboxNetwork.linkName(slot), network.sandboxAddress(slot),
                network.hostAddress(slot), setup.guestPort(), GuestToken.read(GuestToken.ensure(dir.resolve("guest.token"), -1)),
                SessionEnvironment.hostname(sessionId),
                limits, setup.kvm());
        long pid = vm.start();
        cgroups.join(group(sessionId), pid);
        long ticks = ProcessTable.startTicks(pid);
        awaitGuest(vm, pid, ticks, client(sessionId, slot), sessionId);
        if (isBrowser(spec)) {
            startBrowser(client(sessionId, slot), network.sandboxAddress(slot), pid, sessionId);
        }
        return handle.withProcess(pid, ticks);
    }

    /** Until DevTools answers HTTP (the relay accepts connections before Chromium listens behind it). */
    private static boolean devToolsAnswers(String address, Duration timeout) {
        var http = java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://" + address + ":"
                + BrowserInit.DEBUGGING_PORT + "/json/version")).timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(request, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return true;
                }
            } catch (IOException notYet) {
                // the relay closes the connection while nothing listens behind it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(200_000_000L);
        }
        return false;
    }

    private static boolean isBrowser(SandboxSpec spec) {
        return "browser".equals(spec.sessionType());
    }

    /**
     * Chromium as the sandbox's user, started through the guest agent; its DevTools (on the guest's
     * loopback) answers at the VM's address through the agent's relay, for the host only. The
     * session runs once DevTools answers there.
     */
    private void startBrowser(GuestClient guest, String address, long pid, String sessionId) {
        try {
            new sh.chaser.agent.guest.GuestCommands(guest).start(BrowserInit.shell("127.0.0.1") + " >/tmp/chromium.log 2>&1",
                    "/workspace", Map.of("HOME", "/workspace"));
        } catch (IOException e) {
            ProcessTable.kill(pid);
            throw AgentError.BOOT_FAILED.exception("the microVM's browser did not start: " + e.getMessage());
        }
        if (!devToolsAnswers(address, Duration.ofSeconds(setup.kvm() ? 30 : 180))) {
            String log;
            try {
                log = new String(guest.exec("tail -n 30 /tmp/chromium.log", "/", Map.of(), Duration.ofSeconds(20)).output(),
                        java.nio.charset.StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException e) {
                log = "(unreadable: " + e.getMessage() + ")";
            }
            LOG.warnf("VM %s: Chromium's DevTools did not answer; it printed:\n%s", sessionId, log);
            ProcessTable.kill(pid);
            throw AgentError.BOOT_FAILED.exception("the microVM's browser did not start");
        }
    }

    /**
     * Until the guest agent answers. Its start shows on the VM's console first ("serving on"): a
     * connection tried before the guest's network is up waits on ARP for a second or more, so
     * the agent is called once the console says so (and every 2 s regardless).
     */
    private void awaitGuest(QemuVm vm, long pid, long ticks, GuestClient client, String sessionId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(setup.kvm() ? 30 : 120).toNanos();
        long nextTry = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (true) {
            if (vm.consoleSays("chaser-guest: serving on") || System.nanoTime() > nextTry) {
                if (client.ready()) {
                    return;
                }
                nextTry = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            }
            if (!ProcessTable.alive(pid, ticks) || System.nanoTime() > deadline) {
                LOG.warnf("VM %s did not answer; its console:\n%s", sessionId, vm.consoleTail());
                ProcessTable.kill(pid);
                throw AgentError.BOOT_FAILED.exception("the microVM's agent did not start");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
        }
    }

    private GuestClient client(String sessionId, int slot) {
        return guests.computeIfAbsent(sessionId, id -> new GuestClient(new GuestClient.Address(
                network.sandboxAddress(slot), setup.guestPort(), GuestToken.read(paths.sandbox(id).resolve("guest.token")))));
    }

    private String group(String sessionId) {
        return "chaser/" + owner + "/" + sessionId;
    }

    @Override
    public GuestClient guest(SandboxRecord record) {
        return client(record.sessionId(), Integer.parseInt(record.handle().resource("net_slot")));
    }

    @Override
    public String address(SandboxRecord record) {
        return network.sandboxAddress(Integer.parseInt(record.handle().resource("net_slot")));
    }

    @Override
    public boolean alive(SandboxRecord record) {
        return ProcessTable.alive(record.handle().pid(), record.handle().startTicks());
    }

    /** Writes back what the guest kernel holds for the workspace disk (a killed VM loses it), then stops QEMU. */
    @Override
    public void destroy(SandboxRecord record) {
        String sessionId = record.sessionId();
        if (alive(record)) {
            if (isBrowser(record.spec())) {
                // Browser.close writes the profile (cookies, storage) before Chromium exits
                BrowserInit.closeGracefully(address(record));
            }
            try {
                guest(record).exec("i=0; while pgrep -x chromium >/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1));"
                        + " done; sync", "/", Map.of(), Duration.ofSeconds(30));
            } catch (IOException | RuntimeException e) {
                LOG.debugf("VM %s: no sync before stopping (%s)", sessionId, e.getMessage());
            }
            stop(record.handle().pid(), record.handle().startTicks());
        }
        cgroups.destroy(group(sessionId));
        guests.remove(sessionId);
        String slot = record.handle().resource("net_slot");
        network.release(owner, sessionId, slot == null ? -1 : Integer.parseInt(slot));
        if (record.spec().ephemeral()) {
            disks.deleteScratch(sessionId);
        }
    }

    private static void stop(long pid, long ticks) {
        ProcessTable.kill(pid);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (ProcessTable.alive(pid, ticks) && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
        }
    }

    /** A VM an earlier boot of this sandbox started before the agent died (its pid was never saved). */
    private static void stopLeftover(Path pidFile) {
        long pid = qemuPid(pidFile);
        if (pid > 0) {
            LOG.infof("stopping the VM an interrupted boot left (pid %d)", pid);
            stop(pid, ProcessTable.startTicks(pid));
        }
    }

    /** The pid in a QEMU pid file while that process is QEMU, else 0. */
    private static long qemuPid(Path pidFile) {
        try {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            return ProcessTable.startTicks(pid) > 0
                    && Files.readString(Path.of("/proc", Long.toString(pid), "comm")).startsWith("qemu") ? pid : 0;
        } catch (IOException | NumberFormatException gone) {
            return 0;
        }
    }

    /** VMs whose sandbox no record knows (a crash between starting QEMU and saving its pid) are stopped. */
    @Override
    public void sweepOrphans(Supplier<Set<String>> known) {
        if (!Files.isDirectory(paths.sandboxes())) {
            return;
        }
        java.util.List<Path> pidFiles;
        try (var dirs = Files.list(paths.sandboxes())) {
            pidFiles = dirs.map(dir -> dir.resolve("qemu.pid")).filter(Files::exists).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<String> knownIds = known.get();
        for (Path pidFile : pidFiles) {
            String sessionId = pidFile.getParent().getFileName().toString();
            if (knownIds.contains(sessionId)) {
                continue;
            }
            long pid = qemuPid(pidFile);
            if (pid > 0) {
                LOG.infof("stopping orphaned VM %s (pid %d)", sessionId, pid);
                stop(pid, ProcessTable.startTicks(pid));
            }
            Files2.deleteRecursively(pidFile.getParent());
        }
        for (String child : cgroups.children("chaser/" + owner)) {
            if (!knownIds.contains(child)) {
                LOG.infof("removing orphaned VM cgroup %s", child);
                cgroups.destroy(group(child));
            }
        }
    }
}
