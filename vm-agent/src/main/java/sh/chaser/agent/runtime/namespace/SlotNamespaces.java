package sh.chaser.agent.runtime.namespace;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import sh.chaser.agent.host.Commands;
import sh.chaser.agent.host.SandboxIds;

/**
 * A slot's user namespace (ids mapped to the sandbox range, {@link SandboxIds}) and the network
 * namespace it owns, both kept by bind mounts. The sandbox joins the pair, so runc can enter both
 * again for every command (a network namespace owned by the host's user namespace cannot be joined
 * from the sandbox's). Made by a short-lived holder process whose maps the agent writes as root:
 * no newuidmap and no /etc/subuid entry needed.
 */
final class SlotNamespaces {

    static final Path USERNS_DIR = Path.of("/run/chaser-userns");
    private static final String MAP = "0 " + SandboxIds.HOST_BASE + " " + SandboxIds.RANGE + "\n";

    private static boolean runDirReady;

    private SlotNamespaces() {}

    static Path userns(String name) {
        return USERNS_DIR.resolve(name);
    }

    /**
     * Makes the network namespaces' directory a shared mount of its own, as {@code ip netns add}
     * does the first time: were it made one later (by any tool that adds a namespace) on top of
     * slots already mounted in it, those slots' files could never be deleted again (EBUSY).
     */
    private static synchronized void ensureMountPoint(Path dir) throws IOException {
        if (runDirReady) {
            return;
        }
        Files.createDirectories(dir);
        if (sh.chaser.agent.host.MountTable.find(dir.toRealPath()).isEmpty()) {
            Commands.run(List.of("mount", "--bind", dir.toString(), dir.toString()));
        }
        Commands.run(List.of("mount", "--make-shared", dir.toString()));
        runDirReady = true;
    }

    static void create(String name, Path netns) {
        Process holder = null;
        try {
            Files.createDirectories(USERNS_DIR);
            ensureMountPoint(netns.getParent());
            Files.deleteIfExists(userns(name));
            Files.createFile(userns(name));
            Files.deleteIfExists(netns);
            Files.createFile(netns);
            holder = new ProcessBuilder(Commands.executable("unshare"), "--user", "--net", "--",
                    Commands.executable("sleep"), "60")
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            Path proc = Path.of("/proc", Long.toString(holder.pid()));
            String own = Files.readSymbolicLink(Path.of("/proc/self/ns/user")).toString();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (own.equals(Files.readSymbolicLink(proc.resolve("ns/user")).toString())) {
                if (System.nanoTime() > deadline || !holder.isAlive()) {
                    throw new IllegalStateException("unshare did not make a user namespace for " + name);
                }
                LockSupport.parkNanos(100_000);
            }
            Files.writeString(proc.resolve("uid_map"), MAP);
            Files.writeString(proc.resolve("gid_map"), MAP);
            Commands.run(List.of("mount", "--bind", proc.resolve("ns/net").toString(), netns.toString()));
            Commands.run(List.of("mount", "--bind", proc.resolve("ns/user").toString(), userns(name).toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (holder != null) {
                holder.destroyForcibly();
                try {
                    holder.waitFor(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Forgets the user namespace (the network namespace goes with {@code ip netns delete}). */
    static void removeUserns(String name) {
        Path file = userns(name);
        if (Files.exists(file)) {
            Commands.tryRun(List.of("umount", file.toString()), null);
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
