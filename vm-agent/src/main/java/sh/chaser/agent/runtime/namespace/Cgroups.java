package sh.chaser.agent.runtime.namespace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import sh.chaser.agent.domain.Limits;
import sh.chaser.agent.host.ProcessTable;

/**
 * Memory, CPU and process-count limits through the kernel's cgroups. Groups are paths relative to
 * the hierarchy root, e.g. {@code chaser/<host>/<session>}. {@link CgroupV1} drives the per-controller
 * hierarchies (what these machines mount), {@link CgroupV2} the unified one.
 */
public abstract class Cgroups {

    public static final long CPU_PERIOD_US = 100_000;

    /** The hierarchy this host offers, or empty when memory, cpu and pids are not all there. */
    public static Optional<Cgroups> detect(Path root) {
        Path controllers = root.resolve("cgroup.controllers");
        try {
            if (Files.exists(controllers)) {
                String offered = Files.readString(controllers);
                if (offered.contains("memory") && offered.contains("pids") && offered.contains("cpu")) {
                    return Optional.of(new CgroupV2(root));
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        if (Files.isDirectory(root.resolve("memory")) && Files.isDirectory(root.resolve("pids"))
                && Files.isDirectory(root.resolve("cpu"))) {
            return Optional.of(new CgroupV1(root));
        }
        return Optional.empty();
    }

    public abstract String version();

    /** Creates the group (and its parents) with these limits; repeating it re-applies them. */
    public abstract void create(String group, Limits limits);

    /** The files a process writes its pid into to join the group in every controller. */
    public abstract List<Path> procsFiles(String group);

    /** Moves a running process (with all its threads) into the group. */
    public void join(String group, long pid) {
        procsFiles(group).forEach(procs -> write(procs, pid));
    }

    /** The directories of the group, one per hierarchy it lives in. */
    protected abstract List<Path> dirs(String group);

    /** The sub-groups directly under {@code parent} (names only). */
    public List<String> children(String parent) {
        Path dir = dirs(parent).get(0);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isDirectory).map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills every process of the group and waits until none is left, then removes the group. */
    public void destroy(String group) {
        Path procs = procsFiles(group).get(0);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (Files.exists(procs)) {
            List<Long> pids = read(procs);
            if (pids.isEmpty()) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("processes of cgroup " + group + " survive SIGKILL: " + pids);
            }
            pids.forEach(ProcessTable::kill);
            pause();
        }
        for (Path dir : dirs(group)) {
            removeDir(dir);
        }
    }

    private static void removeDir(Path dir) {
        // rmdir of a cgroup fails with EBUSY for a moment after its last task exited
        for (int attempt = 0; Files.exists(dir); attempt++) {
            try {
                Files.delete(dir);
            } catch (IOException e) {
                if (attempt > 200) {
                    throw new UncheckedIOException("cannot remove cgroup " + dir, e);
                }
                pause();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static List<Long> read(Path procs) {
        try {
            List<Long> pids = new ArrayList<>();
            for (String line : Files.readAllLines(procs)) {
                if (!line.isBlank()) {
                    pids.add(Long.parseLong(line.strip()));
                }
            }
            return pids;
        } catch (IOException e) {
            return List.of();
        }
    }

    static void write(Path file, Object value) {
        try {
            Files.writeString(file, value.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + value + " to " + file, e);
        }
    }

    static void mkdirs(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create cgroup " + dir, e);
        }
    }
}
