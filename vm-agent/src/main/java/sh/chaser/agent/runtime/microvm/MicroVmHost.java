package sh.chaser.agent.runtime.microvm;

import java.io.IOException;
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
import sh.chaser.agent.host.Files2;
import sh.chaser.agent.host.HostDirectories;
import sh.chaser.agent.host.ProcessTable;
import sh.chaser.agent.host.SandboxPaths;
import sh.chaser.agent.image.ImageStore;
import sh.chaser.agent.runtime.VmRuntime.Journal;
import sh.chaser.agent.runtime.namespace.BrowserInit;
import sh.chaser.agent.runtime.namespace.Cgroups;
import sh.chaser.agent.runtime.namespace.SandboxNetwork;

/**
 * What every microVM runtime does the same way, whatever its VMM ({@link Vmm}): the platform's
 * kernel and initramfs ({@link GuestVmImage}), the image's root as an erofs disk ({@link ErofsImages})
 * under a tmpfs overlay in the guest, the workspace as an ext4 image inside its disk
 * ({@link WorkspaceImage}), a tap on the namespace runtime's address plan and host firewall
 * ({@link SandboxNetwork#setUpTap}), the VMM in a cgroup of its own, and the guest agent inside as
 * the one way in. Boot: claim a slot (journaled first), make the cgroup and the tap, start the VMM;
 * the sandbox runs once the guest agent answers (a browser's once DevTools does).
 */
public final class MicroVmHost {

    private static final Logger LOG = Logger.getLogger(MicroVmHost.class);
    /** The handle's resource saying the VM has the guest agent's control port ({@link VmParts#controlPort}). */
    private static final String CONTROL_PORT = "control_port";

    /**
     * What every VM shares: the guest build, the image cache, the agent's port, the workspace image size,
     * and the first of the VMMs' uids (the VM on slot n runs as {@code vmIdBase + n}).
     */
    public record Setup(Path buildScript, Path guestBinary, Path cacheDir, int guestPort, long workspaceBytes,
            long vmIdBase) {}

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
    private final BrowserWatch browsers = new BrowserWatch();
    private final VmLeftovers leftovers;

    public MicroVmHost(String owner, SandboxPaths paths, ImageStore images, SandboxNetwork network, Cgroups cgroups,
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
        this.leftovers = new VmLeftovers(paths, cgroups, "chaser/" + owner);
    }

    /** The script that builds the microVMs' kernel and initramfs, where this installation has it. */
    public static java.util.Optional<Path> buildScript() {
        return GuestVmImage.findBuildScript();
    }

    /** The kernel and initramfs (a download the first time) and the default image's root disk. */
    public void prepare(String runtime) {
        try {
            guestVm.ensure();
            erofs.of(images.resolve(ImageStore.BASE));
        } catch (RuntimeException e) {
            LOG.warnf("the %s runtime could not prepare its boots (%s); each boot tries again", runtime,
                    e.getMessage());
        }
    }

    public void check(SandboxSpec spec) {
        if (isBrowser(spec) && !BrowserInit.installed()) {
            throw AgentError.RUNTIME_UNAVAILABLE
                    .exception("Chromium is not installed on this host (apt-get install chromium)");
        }
        if (!images.resolve(spec.image()).readOnlyBinds().isEmpty()) {
            throw AgentError.RUNTIME_UNAVAILABLE.exception("image " + spec.image() + " borrows the host's directories"
                    + " and cannot boot in a microVM (is the default image still being prepared?)");
        }
    }

    public RuntimeHandle boot(SandboxRecord record, Journal journal, Vmm vmm, String consoleArgs) {
        SandboxSpec spec = record.spec();
        String sessionId = spec.sessionId();
        GuestVmImage.Files guest = guestVm.ensure();
        var image = images.resolve(spec.image());
        Path root = erofs.of(image);
        Path layer = isBrowser(spec) ? browserLayer.of(image.rootfs()) : null;
        Path workspace = workspaceImage(spec);
        paused(sessionId).delete(); // a boot starts from a fresh (sparse) memory file
        int slot = network.claim(owner, sessionId);
        RuntimeHandle handle = record.handle().with("net_slot", Integer.toString(slot)).with("cgroup",
                group(sessionId)).with(CONTROL_PORT, "true");
        journal.record(handle);
        VmParts parts = parts(record, vmm, slot, guest, root, layer, workspace, consoleArgs, true);
        long pid = vmm.start(parts, started -> cgroups.join(group(sessionId), started));
        long ticks = ProcessTable.startTicks(pid);
        GuestReadiness.await(parts, pid, ticks, client(sessionId, slot), vmm.bootTimeout());
        if (isBrowser(spec)) {
            handle = handle.with("browser_command", GuestReadiness.startBrowser(client(sessionId, slot),
                    network.sandboxAddress(slot), pid, sessionId, vmm.bootTimeout().multipliedBy(3).dividedBy(2)));
        }
        return handle.withProcess(pid, ticks);
    }

    private Path workspaceImage(SandboxSpec spec) {
        Path disk = spec.ephemeral() ? disks.scratch(spec.sessionId()) : disks.create(spec.workspaceId());
        return WorkspaceImage.ensure(disk, setup.workspaceBytes());
    }

    /** Everything a VMM needs for the sandbox on {@code slot}: its cgroup and tap made, its memory file there. */
    private VmParts parts(SandboxRecord record, Vmm vmm, int slot, GuestVmImage.Files guest, Path root, Path layer,
            Path workspace, String consoleArgs, boolean controlPort) {
        SandboxSpec spec = record.spec();
        String sessionId = spec.sessionId();
        Limits limits = spec.limits().orDefaults(isBrowser(spec) ? defaults.forBrowser() : defaults);
        cgroups.create(group(sessionId), VmmLimits.forVmm(limits, vmm.overheadBytes()));
        long user = setup.vmIdBase() + slot;
        network.setUpTap(slot, user);
        Path dir = paths.sandbox(sessionId);
        Files2.createDirectories(dir);
        HostDirectories.ownerOnly(dir);
        VmLeftovers.stopLeftover(vmm, dir);
        String token = GuestToken.read(GuestToken.ensure(dir.resolve("guest.token"), -1));
        String bootArgs = consoleArgs + " " + GuestBootArgs.of(network.sandboxAddress(slot), network.hostAddress(slot),
                setup.guestPort(), SessionEnvironment.hostname(sessionId), limits, layer != null);
        return new VmParts(sessionId, dir, guest, root, workspace, GuestConfigDisk.write(dir, token), layer,
                slot, user, SandboxNetwork.linkName(slot), GuestReadiness.mac(slot), bootArgs, limits,
                paused(sessionId).memory(), controlPort);
    }

    private PausedVm paused(String sessionId) {
        return new PausedVm(paths.diskStore(), sessionId);
    }

    /**
     * Pauses the running VM: the guest writes its dirty pages and freezes its workspace file system,
     * QEMU stops it and saves its devices' state beside its memory file, a manifest seals both, then
     * the VMM ends and its cgroup goes. The network slot stays the session's (the guest keeps its
     * address). Repeatable: a sealed pause only finishes the stop.
     */
    public RuntimeHandle pause(SandboxRecord record, Vmm vmm) {
        String sessionId = record.sessionId();
        PausedVm paused = paused(sessionId);
        if (!paused.sealed()) {
            if (!vmm.canPause()) {
                throw AgentError.UNSUPPORTED_RUNTIME.exception("this host's VMM cannot pause its VMs yet");
            }
            if (!running(record)) {
                throw AgentError.SANDBOX_NOT_RUNNING.exception("the VM of sandbox " + sessionId + " is not running");
            }
            vmm.ensureRunning(paths.sandbox(sessionId)); // an interrupted pause may have stopped it
            GuestClient guest = guest(record);
            try {
                guest.freeze(Duration.ofMinutes(1));
            } catch (IOException | RuntimeException e) {
                throw AgentError.PAUSE_FAILED.exception("the guest did not freeze its disk: " + e.getMessage());
            }
            try {
                vmm.saveState(paths.sandbox(sessionId), paused.freshState(), paused.memory());
                paused.seal(workspaceImage(record.spec()), new io.vertx.core.json.JsonObject()
                        .put("slot", record.handle().resource("net_slot")));
            } catch (RuntimeException e) {
                paused.unseal();
                GuestReadiness.thawQuietly(guest);
                throw e;
            }
        }
        browsers.forget(sessionId);
        if (running(record)) {
            vmm.stop(paths.sandbox(sessionId), record.handle().pid(), record.handle().startTicks());
        }
        cgroups.destroy(group(sessionId));
        vmm.release(paths.sandbox(sessionId));
        guests.remove(sessionId);
        return record.handle().withProcess(0, 0);
    }

    /** Refuses a parent that cannot be forked here; checks its sealed state once, for all its children. */
    public void checkForkable(SandboxRecord parent, Vmm vmm) {
        PausedVm from = paused(parent.sessionId());
        if (!from.sealed()) {
            throw AgentError.SANDBOX_NOT_RUNNING.exception("sandbox " + parent.sessionId() + " is not paused here");
        }
        if (!vmm.canFork()) {
            throw AgentError.UNSUPPORTED_RUNTIME.exception("this host's VMM cannot fork its VMs");
        }
        if (!"true".equals(parent.handle().resource(CONTROL_PORT))) {
            throw AgentError.UNSUPPORTED_RUNTIME.exception("the VM of sandbox " + parent.sessionId()
                    + " was started before forks existed (it has no control port); a new session can be forked");
        }
        from.verify(workspaceImage(parent.spec()));
    }

    /**
     * Starts {@code child} from the sealed pause of a parent {@link #checkForkable} accepted: a copy of
     * its memory file and its saved devices, the child's own clone of its disk, on a network slot of the
     * child's own. Its guest hears its new address, gateway, token and hostname on the control port (it
     * still has the parent's, which nothing routes to it), then answers there and thaws.
     */
    public RuntimeHandle fork(SandboxRecord parent, SandboxRecord child, Journal journal, Vmm vmm,
            String consoleArgs) {
        PausedVm from = paused(parent.sessionId());
        SandboxSpec spec = child.spec();
        String sessionId = spec.sessionId();
        disks.forkOf(diskOf(parent.spec()), spec.ephemeral() ? null : spec.workspaceId(), sessionId);
        from.copyMemory(paused(sessionId));
        int slot = network.claim(owner, sessionId);
        RuntimeHandle handle = child.handle().with("net_slot", Integer.toString(slot)).with("cgroup",
                group(sessionId)).with("fork_of", parent.sessionId()).with(CONTROL_PORT, "true");
        journal.record(handle);
        var image = images.resolve(spec.image());
        VmParts parts = parts(child, vmm, slot, guestVm.ensure(), erofs.of(image),
                isBrowser(spec) ? browserLayer.of(image.rootfs()) : null, workspaceImage(spec), consoleArgs, true);
        RuntimeHandle made = handle;
        long pid = vmm.startFrom(parts, from.state(), started -> {
            cgroups.join(group(sessionId), started);
            journal.record(made.withProcess(started, ProcessTable.startTicks(started)));
        });
        long ticks = ProcessTable.startTicks(pid);
        GuestIdentity.tell(vmm, parts, network.sandboxAddress(slot), network.hostAddress(slot),
                SessionEnvironment.hostname(sessionId));
        GuestReadiness.awaitThaw(client(sessionId, slot), pid, ticks, vmm.bootTimeout());
        String chromium = parent.handle().resource("browser_command");
        return (chromium == null ? handle : handle.with("browser_command", chromium)).withProcess(pid, ticks);
    }

    private Path diskOf(SandboxSpec spec) {
        return spec.ephemeral() ? disks.scratch(spec.sessionId()) : disks.path(spec.workspaceId());
    }

    /** Whether the sandbox has a sealed pause on this host (the VM itself is gone). */
    public boolean paused(SandboxRecord record) {
        return paused(record.sessionId()).sealed();
    }

    /**
     * Starts the paused VM again on its slot, from its memory file and saved devices, after checking
     * them against the manifest; then thaws the guest's disk and sets its clock. Repeatable: a VM an
     * interrupted resume started is stopped first, and the saved state is never written.
     */
    public RuntimeHandle resume(SandboxRecord record, Journal journal, Vmm vmm, String consoleArgs) {
        SandboxSpec spec = record.spec();
        String sessionId = spec.sessionId();
        PausedVm paused = paused(sessionId);
        int slot = Integer.parseInt(record.handle().resource("net_slot"));
        RuntimeHandle handle = record.handle();
        boolean newIdentity = "true".equals(handle.resource(PausedMoves.NEW_IDENTITY));
        if (running(record) && !newIdentity) {
            // an interrupted resume started it (its pid was journaled): let it run on
            vmm.ensureRunning(paths.sandbox(sessionId));
        } else {
            if (running(record)) { // a moved VM an interrupted resume started may not have heard its identity
                vmm.stop(paths.sandbox(sessionId), handle.pid(), handle.startTicks());
            }
            if (!paused.sealed()) {
                throw AgentError.SANDBOX_NOT_RUNNING.exception("sandbox " + sessionId + " has no paused state here");
            }
            Path workspace = workspaceImage(spec);
            paused.verify(workspace);
            var image = images.resolve(spec.image());
            VmParts parts = parts(record, vmm, slot, guestVm.ensure(), erofs.of(image),
                    isBrowser(spec) ? browserLayer.of(image.rootfs()) : null, workspace, consoleArgs,
                    "true".equals(record.handle().resource(CONTROL_PORT)));
            long pid = vmm.startFrom(parts, paused.state(), started -> {
                cgroups.join(group(sessionId), started);
                journal.record(record.handle().withProcess(started, ProcessTable.startTicks(started)));
            });
            handle = handle.withProcess(pid, ProcessTable.startTicks(pid));
            if (newIdentity) { // moved here from another host: its guest still has that host's slot
                GuestIdentity.tell(vmm, parts, network.sandboxAddress(slot), network.hostAddress(slot),
                        SessionEnvironment.hostname(sessionId));
                handle = handle.with(PausedMoves.NEW_IDENTITY, "false");
            }
        }
        GuestReadiness.awaitThaw(client(sessionId, slot), handle.pid(), handle.startTicks(), vmm.bootTimeout());
        paused.unseal();
        return handle;
    }

    /** Moves of this host's paused VMs to other hosts, and of theirs here. */
    public MicroVmMoves moves() {
        return new MicroVmMoves(new PausedMoves(paths.diskStore(), disks), network, owner, images, guestVm, erofs,
                browserLayer, CONTROL_PORT);
    }

    private static boolean isBrowser(SandboxSpec spec) {
        return "browser".equals(spec.sessionType());
    }

    private GuestClient client(String sessionId, int slot) {
        return guests.computeIfAbsent(sessionId, id -> new GuestClient(new GuestClient.Address(
                network.sandboxAddress(slot), setup.guestPort(),
                GuestToken.read(paths.sandbox(id).resolve("guest.token")))));
    }

    private String group(String sessionId) {
        return VmLeftovers.group("chaser/" + owner, sessionId);
    }

    public GuestClient guest(SandboxRecord record) {
        return client(record.sessionId(), Integer.parseInt(record.handle().resource("net_slot")));
    }

    public String address(SandboxRecord record) {
        return network.sandboxAddress(Integer.parseInt(record.handle().resource("net_slot")));
    }

    public sh.chaser.agent.runtime.ForwardTarget forwardTarget(SandboxRecord record, int port) {
        return GuestTargets.forward(guest(record).address(), port);
    }

    public sh.chaser.agent.runtime.TcpTarget tcpTarget(SandboxRecord record, int port) {
        return GuestTargets.tcp(guest(record).address(), port);
    }

    /** The VM runs, and for a browser so does Chromium (a browser session without it is over,
            as in a namespace sandbox). */
    public boolean alive(SandboxRecord record) {
        if (!running(record)) {
            return false;
        }
        String chromium = record.handle().resource("browser_command");
        return chromium == null || browsers.running(record.sessionId(), guest(record), chromium);
    }

    private static boolean running(SandboxRecord record) {
        return ProcessTable.alive(record.handle().pid(), record.handle().startTicks());
    }

    /** Writes back what the guest kernel holds for the workspace disk (a killed VM loses it), then stops the VMM. */
    public void destroy(SandboxRecord record, Vmm vmm) {
        String sessionId = record.sessionId();
        browsers.forget(sessionId);
        if (running(record)) {
            if (isBrowser(record.spec())) {
                // Browser.close writes the profile (cookies, storage) before Chromium exits
                BrowserInit.closeGracefully(address(record));
            }
            try {
                guest(record)
                        .exec("i=0; while pgrep -x chromium >/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1));"
                                + " done; sync", "/", Map.of(), Duration.ofSeconds(30));
            } catch (IOException | RuntimeException e) {
                LOG.debugf("VM %s: no sync before stopping (%s)", sessionId, e.getMessage());
            }
            vmm.stop(paths.sandbox(sessionId), record.handle().pid(), record.handle().startTicks());
        }
        // every process of the VM first (a VMM's helper or child would keep the jail's binds busy)
        cgroups.destroy(group(sessionId));
        vmm.release(paths.sandbox(sessionId));
        guests.remove(sessionId);
        String slot = record.handle().resource("net_slot");
        network.release(owner, sessionId, slot == null ? -1 : Integer.parseInt(slot));
        paused(sessionId).delete();
        if (record.spec().ephemeral()) {
            disks.deleteScratch(sessionId);
        }
    }

    /** VMs whose sandbox no record knows (a crash between starting the VMM and saving its pid) are stopped. */
    public void sweepOrphans(Supplier<Set<String>> known, Vmm vmm, String pidFileName) {
        leftovers.sweepOrphans(known, vmm, pidFileName);
    }
}
