package sh.chaser.agent.runtime.namespace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import sh.chaser.agent.domain.Limits;

/** cgroup v2: one unified hierarchy; controllers are delegated down the path via subtree_control. */
public final class CgroupV2 extends Cgroups {

    private final Path root;

    CgroupV2(Path root) {
        this.root = root;
    }

    @Override
    public String version() {
        return "v2";
    }

    @Override
    public void create(String group, Limits limits) {
        Path dir = root;
        for (Path part : Path.of(group)) {
            write(dir.resolve("cgroup.subtree_control"), "+memory +cpu +pids");
            dir = dir.resolve(part.toString());
            mkdirs(dir);
        }
        write(dir.resolve("memory.max"), limits.memoryBytes());
        if (Files.exists(dir.resolve("memory.swap.max"))) {
            write(dir.resolve("memory.swap.max"), 0);
        }
        write(dir.resolve("pids.max"), limits.maxProcesses());
        write(dir.resolve("cpu.max"), (CPU_PERIOD_US * limits.vcpus()) + " " + CPU_PERIOD_US);
    }

    @Override
    public List<Path> procsFiles(String group) {
        return List.of(root.resolve(group).resolve("cgroup.procs"));
    }

    @Override
    protected List<Path> dirs(String group) {
        return List.of(root.resolve(group));
    }
}
