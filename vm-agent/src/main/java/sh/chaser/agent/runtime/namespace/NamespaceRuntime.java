package sh.chaser.agent.runtime.namespace;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import sh.chaser.agent.disk.DiskStore;
import sh.chaser.agent.domain.AgentError;
import sh.chaser.agent.domain.Limits;
import sh.chaser.agent.domain.SandboxRecord;
import sh.chaser.agent.domain.SandboxSpec;
import sh.chaser.agent.domain.SandboxRecord.RuntimeHandle;
import sh.chaser.agent.image.ImageRoot;
import sh.chaser.agent.image.ImageStore;
import sh.chaser.agent.runtime.Commands;
import sh.chaser.agent.runtime.Files2;
import sh.chaser.agent.runtime.ProcessTable;
import sh.chaser.agent.runtime.SandboxPaths;
import sh.chaser.agent.runtime.VmRuntime;

/**
 * Sandboxes as Linux namespaces: a network namespace with a veth pair ({@link SandboxNetwork}),
 * cgroup limits ({@link Cgroups}), and bubblewrap for the rest ({@link BwrapCommand}). Boot steps:
 * take a warm network or claim a slot and build it (journaled first), create the cgroup, then start a small
 * shell shim that joins the cgroup and execs {@code nsenter --net bwrap}; the boot returns when
 * bwrap reports its init's pid. Sandboxes do not depend on the agent's process: they run on when
 * it dies, and a restarted agent finds them by pid and start time.
 */
public final class NamespaceRuntime implements VmRuntime {

    public static final String NAME = "namespace";
    private static final Logger LOG = Logger.getLogger(NamespaceRuntime.class);
    private static final Pattern CHILD_PID = Pattern.compile("\"child-pid\"\\s*:\\s*(\\d+)");
    private static final String SHIM = "for p in $CHASER_CGROUP_PROCS; do echo $$ > \"$p\" || exit 97; done; "
            + "exec \"$@\" 3>&1 1>>\"$CHASER_INIT_LOG\" 2>&1";

    private static final String SHIM_JOIN = "for p in $CHASER_CGROUP_PROCS; do echo $$ > \"$p\" || exit 97; done; "
            + "unset CHASER_CGROUP_PROCS; exec \"$@\"";

    private final String owner;
    private final SandboxPaths paths;
    private final ImageStore images;
    private final SandboxNetwork network;
    private final Cgroups cgroups;
    private final Limits defaults;
    private final WarmNetworks warm;
    private final DiskStore disks;
    private volatile boolean swept;

    public NamespaceRuntime(String owner, SandboxPaths paths, ImageStore images, SandboxNetwork network,
                            Cgroups cgroups, Limits defaults, int warmNetworks, DiskStore disks) {
        this.disks = disks;
        this.warm = new WarmNetworks(network, owner, warmNetworks);
        this.owner = owner;
        this.paths = paths;
        this.images = images;
        this.network = network;
        this.cgroups = cgroups;
        this.defaults = defaults;
    }

    @Override
    public String name() {
        return NAME;
    }

    private String group(String sessionId) {
        return "chaser/" + owner + "/" + sessionId;
    }

    @Override
    public void check(SandboxSpec spec) {
        images.resolve(spec.image());
        if (isBrowser(spec) && !BrowserInit.installed()) {
            throw AgentError.RUNTIME_UNAVAILABLE.exception("Chromium is not installed on this host (apt-get install chromium)");
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
        Path workspace = spec.ephemeral() ? paths.workspace(spec) : disks.create(spec.workspaceId());
        Files2.createDirectories(workspace);
        int slot = warm.take(spec.sessionId());
        boolean prepared = slot >= 0;
        if (!prepared) {
            slot = network.claim(owner, spec.sessionId());
        }
        RuntimeHandle handle = record.handle().with("net_slot", Integer.toString(slot))
                .with("cgroup", group(spec.sessionId()));
        journal.record(handle);
        if (!prepared) {
            network.setUp(slot);
        }
        cgroups.create(group(spec.sessionId()), spec.limits().orDefaults(isBrowser(spec) ? defaults.forBrowser() : defaults));
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
        List<String> command = new ArrayList<>(List.of(Commands.executable("setsid"), "sh", "-c", SHIM, "chaser-shim",
                "nsenter", "--net=" + SandboxNetwork.netnsPath(slot), "--"));
        command.addAll(BwrapCommand.of(record.spec(), image, workspace));
        Path log = paths.initLog(sessionId);
        var builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("CHASER_CGROUP_PROCS", cgroups.procsFiles(group(sessionId)).stream()
                .map(Path::toString).collect(Collectors.joining(" ")));
        builder.environment().put("CHASER_INIT_LOG", log.toString());
        builder.environment().put("PATH", Commands.searchPath());
        try {
            Process process = builder.start();
            String info = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            Matcher matcher = CHILD_PID.matcher(info);
            if (matcher.find()) {
                long pid = Long.parseLong(matcher.group(1));
                awaitInit(sessionId, pid, isBrowser(record.spec()) ? BrowserInit.COMM : "sleep");
                return pid;
            }
            int exit = process.waitFor();
            String detail = Files.exists(log) ? Files.readString(log).strip() : "";
            LOG.warnf("sandbox %s did not start (exit %d): %s", sessionId, exit, detail);
            throw AgentError.BOOT_FAILED.exception("the sandbox's isolation could not be started");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A process builder for {@code command} inside a running sandbox: it joins the sandbox's cgroup,
     * then all its namespaces, root and working directory, as the sandbox user. Host processes on the
     * way carry only the platform's variables; the tenant's ({@code env} over the session's) are set
     * inside ({@link SandboxEnv}). Commands started this way are contained exactly like the sandbox's init.
     */
    @Override
    public ProcessBuilder enter(SandboxRecord record, List<String> command, Map<String, String> env) {
        Map<String, String> tenant = SandboxEnv.merged(record.spec().env(), env);
        List<String> argv = new ArrayList<>(List.of(Commands.executable("setsid"), "/bin/sh", "-c", SHIM_JOIN,
                "chaser-enter", Commands.executable("nsenter"), "--target", Long.toString(record.handle().pid()),
                "--user", "--pid", "--mount", "--net", "--uts", "--ipc", "--cgroup", "--root", "--wd",
                "--setuid", Integer.toString(BwrapCommand.SANDBOX_UID), "--setgid", Integer.toString(BwrapCommand.SANDBOX_UID),
                "--"));
        argv.addAll(SandboxEnv.command(tenant, command));
        var builder = new ProcessBuilder(argv);
        // nsenter hands its environment to the command: the sandbox's, not the agent's
        builder.environment().clear();
        builder.environment().putAll(BwrapCommand.platformEnvironment(record.spec()));
        builder.environment().putAll(SandboxEnv.carried(tenant));
        builder.environment().put("CHASER_CGROUP_PROCS", cgroups.procsFiles(group(record.sessionId())).stream()
                .map(Path::toString).collect(Collectors.joining(" ")));
        return builder;
    }

    /**
     * bwrap reports its pid before it has written the user namespace's maps and moved into the
     * image's root: the sandbox is up only once bwrap has started the init command ({@code sleep})
     * as its child, which it does after all of that. Entering it earlier could land in the host's root.
     */
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
                LOG.warnf("sandbox %s: bwrap (pid %d) did not start its init", sessionId, pid);
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
        long bwrapPid = record.handle().pid();
        long[] children = java.util.Arrays.stream(ProcessTable.children(bwrapPid))
                .filter(c -> BrowserInit.COMM.equals(comm(Long.toString(c)))).toArray();
        if (!BrowserInit.closeGracefully(address(record))) {
            for (long child : children) {
                ProcessTable.signal(child, "TERM");
            }
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline && ProcessTable.alive(bwrapPid, record.handle().startTicks())
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
        if (alive(record)) {
            if (isBrowser(record.spec())) {
                stopBrowser(record);
            }
            // killing the PID namespace's init takes every process in it down with it
            ProcessTable.kill(record.handle().pid());
        }
        cgroups.destroy(group(sessionId));
        String slot = record.handle().resource("net_slot");
        network.release(owner, sessionId, slot == null ? -1 : Integer.parseInt(slot));
        if (record.spec().ephemeral()) {
            Files2.deleteRecursively(paths.workspace(record.spec()));
        }
    }

    @Override
    public void sweepOrphans(Supplier<Set<String>> known) {
        List<String> groups = cgroups.children("chaser/" + owner);
        Set<String> knownIds = known.get();
        for (String child : groups) {
            if (!knownIds.contains(child)) {
                LOG.infof("removing orphaned sandbox cgroup %s", child);
                cgroups.destroy(group(child));
            }
        }
        network.sweep(owner, known, WarmNetworks.POOL, !swept);
        swept = true;
        warm.enable();
    }
}
