package sh.chaser.agent.runtime.namespace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import sh.chaser.agent.disk.DiskStore;
import sh.chaser.agent.domain.AgentError;
import sh.chaser.agent.domain.Limits;
import sh.chaser.agent.domain.SandboxRecord;
import sh.chaser.agent.domain.SandboxRecord.RuntimeHandle;
import sh.chaser.agent.domain.SandboxSpec;
import sh.chaser.agent.guest.GuestClient;
import sh.chaser.agent.guest.GuestToken;
import sh.chaser.agent.host.Files2;
import sh.chaser.agent.host.HostDirectories;
import sh.chaser.agent.host.ProcessTable;
import sh.chaser.agent.host.SandboxIds;
import sh.chaser.agent.host.SandboxPaths;
import sh.chaser.agent.image.ImageRoot;
import sh.chaser.agent.image.ImageStore;
import sh.chaser.agent.runtime.VmRuntime;

/**
 * Sandboxes as Linux namespaces, run by runc ({@link Runc}): a network namespace with a veth pair
 * ({@link SandboxNetwork}), cgroup limits ({@link Cgroups}), and the OCI configuration for the rest
 * ({@link OciConfig}: ids mapped away from host root, no capabilities, Docker's seccomp profile,
 * runc's masked and read-only paths). Boot steps: take a warm network or claim a slot and build it
 * (journaled first), create the cgroup, then {@code runc run --detach}; the boot returns when the
 * init (tini) has started the session's first process. Sandboxes do not depend on the agent's
 * process: they run on when it dies, and a restarted agent finds them by pid and start time.
 */
public final class NamespaceRuntime implements VmRuntime {

    public static final String NAME = "namespace";
    private static final Logger LOG = Logger.getLogger(NamespaceRuntime.class);

    private final String owner;
    private final SandboxPaths paths;
    private final ImageStore images;
    private final SandboxNetwork network;
    private final Cgroups cgroups;
    private final Limits defaults;
    private final WarmNetworks warm;
    private final DiskStore disks;
    private final Runc runc;
    private final GuestSetup guest;
    private final Map<String, GuestClient> guests = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean swept;

    /** The guest agent every sandbox runs: its binary (installed for sandboxes), port and output cap. */
    public record GuestSetup(Path binary, int port, long commandOutputBytes) {}

    public NamespaceRuntime(String owner, SandboxPaths paths, ImageStore images, SandboxNetwork network,
            Cgroups cgroups, Limits defaults, int warmNetworks, DiskStore disks, GuestSetup guest) {
        this.guest = guest;
        this.disks = disks;
        this.warm = new WarmNetworks(network, owner, warmNetworks);
        this.owner = owner;
        this.paths = paths;
        this.images = images;
        this.network = network;
        this.cgroups = cgroups;
        this.defaults = defaults;
        this.runc = new Runc(paths.dataDir().toAbsolutePath().resolve("runc"));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String describe() {
        return "namespace sandboxes (runc: namespaces, cgroups, seccomp; no VM)";
    }

    /** The host's sandbox network (slots, links, firewall), shared with the microVM runtime. */
    public SandboxNetwork network() {
        return network;
    }

    /** This host's cgroups (the qemu runtime holds its VMs' QEMU processes in them too). */
    public Cgroups cgroups() {
        return cgroups;
    }

    /** The guest agent's binary as installed for sandboxes. */
    public Path guestBinary() {
        return guest.binary();
    }

    private String group(String sessionId) {
        return "chaser/" + owner + "/" + sessionId;
    }

    @Override
    public void check(SandboxSpec spec) {
        images.resolve(spec.image());
        if (isBrowser(spec) && !BrowserInit.installed()) {
            throw AgentError.RUNTIME_UNAVAILABLE
                    .exception("Chromium is not installed on this host (apt-get install chromium)");
        }
    }

    private static boolean isBrowser(SandboxSpec spec) {
        return "browser".equals(spec.sessionType());
    }

    private ImageRoot imageFor(SandboxSpec spec) {
        ImageRoot image = images.resolve(spec.image());
        return isBrowser(spec) ? BrowserInit.image(image) : image;
    }

    @Override
    public RuntimeHandle boot(SandboxRecord record, Journal journal) {
        var spec = record.spec();
        ImageRoot image = imageFor(spec);
        // a workspace's disk is made on first use until workspace-service creates disks itself
        Path workspace = spec.ephemeral() ? disks.scratch(spec.sessionId()) : disks.create(spec.workspaceId());
        // the session user's on the host (a workspace from before sandboxes had their own ids is handed over once)
        SandboxIds.ownOnce(workspace);
        HostDirectories.ownerOnly(workspace);
        int slot = warm.take(spec.sessionId());
        // a warm network made by an agent from before sandboxes had user namespaces of their own is made again
        boolean prepared = slot >= 0 && Files.exists(SandboxNetwork.usernsPath(slot));
        if (slot < 0) {
            slot = network.claim(owner, spec.sessionId());
        }
        RuntimeHandle handle = record.handle().with("net_slot", Integer.toString(slot))
                .with("cgroup", group(spec.sessionId()));
        journal.record(handle);
        if (!prepared) {
            network.setUp(slot);
        }
        cgroups.create(group(spec.sessionId()),
                spec.limits().orDefaults(isBrowser(spec) ? defaults.forBrowser() : defaults));
        long pid = start(record, image, workspace, slot);
        if (isBrowser(spec) && !BrowserInit.awaitDevTools(network.sandboxAddress(slot), 30_000)) {
            LOG.warnf("browser %s: Chromium's DevTools did not answer within 30 s", spec.sessionId());
            ProcessTable.kill(pid);
            throw AgentError.BOOT_FAILED.exception("the browser did not start");
        }
        return handle.withProcess(pid, ProcessTable.startTicks(pid));
    }

    private long start(SandboxRecord record, ImageRoot image, Path workspace, int slot) {
        String sessionId = record.sessionId();
        boolean browser = isBrowser(record.spec());
        Path bundle = paths.sandbox(sessionId).resolve("bundle").toAbsolutePath();
        Files2.createDirectories(bundle);
        HostDirectories.passable(paths.sandbox(sessionId));
        HostDirectories.ownerOnly(bundle);
        Path token = GuestToken.ensure(tokenFile(sessionId), SandboxIds.hostUser());
        // on the sandbox's loopback: the namespace forwards every TCP connection from the host there
        // (SandboxNetwork), with the host's address as the peer the agent allows
        List<String> init = browser
                ? BrowserInit.command()
                : List.of(OciConfig.GUEST,
                        "-listen", "127.0.0.1:" + guest.port(), "-token-file", OciConfig.GUEST_TOKEN,
                        "-allow", network.hostAddress(slot), "-state-dir", "/tmp/.chaser-guest",
                        "-command-output-bytes", Long.toString(guest.commandOutputBytes()));
        try {
            if (!Files.exists(paths.initLog(sessionId))) {
                Files.createFile(paths.initLog(sessionId), PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")));
            }
            Files.writeString(bundle.resolve("config.json"), OciConfig.of(record.spec(), image, workspace,
                    SandboxNetwork.usernsPath(slot), SandboxNetwork.netnsPath(slot), group(sessionId), init,
                    new OciConfig.GuestFiles(guest.binary(), token)).encode());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long pid = runc.run(sessionId, bundle, paths.initLog(sessionId));
        if (pid <= 0) {
            String detail = Files.exists(paths.initLog(sessionId)) ? read(paths.initLog(sessionId)).strip() : "";
            LOG.warnf("sandbox %s did not start: %s", sessionId, detail);
            throw AgentError.BOOT_FAILED.exception("the sandbox's isolation could not be started");
        }
        if (browser) {
            awaitInit(sessionId, pid, BrowserInit.COMM);
        } else {
            awaitGuest(sessionId, pid, client(sessionId, slot));
        }
        return pid;
    }

    private Path tokenFile(String sessionId) {
        return paths.sandbox(sessionId).resolve("guest.token");
    }

    private GuestClient client(String sessionId, int slot) {
        return guests.computeIfAbsent(sessionId, id -> new GuestClient(new GuestClient.Address(
                network.sandboxAddress(slot), guest.port(), GuestToken.read(tokenFile(id)))));
    }

    /**
     * The guest agent in the sandbox: every command, file and terminal goes through it, contained
     * exactly like the init (cgroup, namespaces, root, user, no capabilities, seccomp). Browser
     * sessions run Chromium alone (exec and files are not offered on them).
     */
    @Override
    public GuestClient guest(SandboxRecord record) {
        if (isBrowser(record.spec())) {
            throw AgentError.UNSUPPORTED_RUNTIME.exception("browser sessions run no commands");
        }
        return client(record.sessionId(), Integer.parseInt(record.handle().resource("net_slot")));
    }

    /** The sandbox is up once the guest agent answers (with its token) at the sandbox's address. */
    private static void awaitGuest(String sessionId, long pid, GuestClient client) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!client.ready()) {
            if (ProcessTable.startTicks(pid) < 0 || System.nanoTime() > deadline) {
                LOG.warnf("sandbox %s: the guest agent under its init (pid %d) did not answer", sessionId, pid);
                throw AgentError.BOOT_FAILED.exception("the sandbox's agent did not start");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }

    /** A browser is up once its init (tini) has started Chromium as its child. */
    private static void awaitInit(String sessionId, long pid, String initComm) {
        Path children = Path.of("/proc", Long.toString(pid), "task", Long.toString(pid), "children");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            for (String child : read(children).trim().split(" ")) {
                if (!child.isEmpty() && initComm.equals(comm(child))) {
                    return;
                }
            }
            if (ProcessTable.startTicks(pid) < 0 || System.nanoTime() > deadline) {
                LOG.warnf("sandbox %s: its init (pid %d) did not start %s", sessionId, pid, initComm);
                throw AgentError.BOOT_FAILED.exception("the sandbox's init did not start");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(200_000);
        }
    }

    private static String comm(String pid) {
        return read(Path.of("/proc", pid, "comm")).strip();
    }

    /** A /proc file's content, empty when its process is gone. */
    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException gone) {
            return "";
        }
    }

    @Override
    public String address(SandboxRecord record) {
        return network.sandboxAddress(Integer.parseInt(record.handle().resource("net_slot")));
    }

    @Override
    public void close() {
        warm.drain();
    }

    /**
     * Chromium writes cookies and storage only on a clean exit: it is asked to close over DevTools
     * and given a few seconds (SIGTERM if it did not answer), before the sandbox is killed.
     */
    private void stopBrowser(SandboxRecord record) {
        long initPid = record.handle().pid();
        long[] children = java.util.Arrays.stream(ProcessTable.children(initPid))
                .filter(c -> BrowserInit.COMM.equals(comm(Long.toString(c)))).toArray();
        if (!BrowserInit.closeGracefully(address(record))) {
            for (long child : children) {
                ProcessTable.signal(child, "TERM");
            }
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline && ProcessTable.alive(initPid, record.handle().startTicks())
                && java.util.Arrays.stream(children).anyMatch(c -> ProcessTable.startTicks(c) > 0)) {
            java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
        }
    }

    @Override
    public boolean alive(SandboxRecord record) {
        return ProcessTable.alive(record.handle().pid(), record.handle().startTicks());
    }

    @Override
    public void destroy(SandboxRecord record) {
        String sessionId = record.sessionId();
        stop(record);
        runc.delete(sessionId);
        cgroups.destroy(group(sessionId));
        String slot = record.handle().resource("net_slot");
        network.release(owner, sessionId, slot == null ? -1 : Integer.parseInt(slot));
        if (record.spec().ephemeral()) {
            disks.deleteScratch(sessionId);
            // where scratch space was kept before it had a disk of its own
            Files2.deleteRecursively(paths.sandbox(sessionId).resolve("scratch"));
        }
    }

    @Override
    public void stop(SandboxRecord record) {
        guests.remove(record.sessionId());
        if (alive(record)) {
            if (isBrowser(record.spec())) {
                stopBrowser(record);
            } else {
                GracefulStop.processesUnder(record.handle().pid());
            }
            // killing the PID namespace's init takes every process in it down with it
            ProcessTable.kill(record.handle().pid());
            // the kernel ends the init last, once every process in its namespace is gone
            long deadline = System.nanoTime() + 2_000_000_000L;
            while (alive(record) && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(2_000_000L);
            }
        }
    }

    @Override
    public void sweepOrphans(Supplier<Set<String>> known) {
        List<String> groups = cgroups.children("chaser/" + owner);
        List<String> containers = runc.list();
        List<String> scratch = disks.scratchIds();
        Set<String> knownIds = known.get();
        containers.stream().filter(id -> !knownIds.contains(id)).forEach(id -> {
            LOG.infof("removing orphaned runc container %s", id);
            runc.delete(id);
        });
        for (String child : groups) {
            if (!knownIds.contains(child)) {
                LOG.infof("removing orphaned sandbox cgroup %s", child);
                cgroups.destroy(group(child));
            }
        }
        scratch.stream().filter(name -> !knownIds.contains(name.replaceAll("^\\.(.*)\\.new$", "$1"))).forEach(id -> {
            LOG.infof("removing orphaned scratch space %s", id);
            disks.deleteScratch(id);
        });
        network.sweep(owner, known, WarmNetworks.POOL, !swept);
        network.recheckFirewall(owner);
        swept = true;
        warm.enable();
    }
}
