package sh.chaser.agent.runtime.namespace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import sh.chaser.agent.domain.Limits;

/** cgroup v1: one hierarchy per controller under {@code <root>/memory}, {@code /cpu}, {@code /pids}. */
public final class CgroupV1 extends Cgroups {

    private static final List<String> CONTROLLERS = List.of("pids", "memory", "cpu");
    private final Path root;

    CgroupV1(Path root) {
        this.root = root;
    }

    @Override
    public String version() {
        return "v1";
    }

    @Override
    public void create(String group, Limits limits) {
        dirs(group).forEach(Cgroups::mkdirs);
        Path memory = root.resolve("memory").resolve(group);
        write(memory.resolve("memory.limit_in_bytes"), limits.memoryBytes());
        Path swap = memory.resolve("memory.memsw.limit_in_bytes");
        if (Files.exists(swap)) {
            write(swap, limits.memoryBytes());
        }
        write(root.resolve("pids").resolve(group).resolve("pids.max"), limits.maxProcesses());
        Path cpu = root.resolve("cpu").resolve(group);
        write(cpu.resolve("cpu.cfs_period_us"), CPU_PERIOD_US);
        write(cpu.resolve("cpu.cfs_quota_us"), CPU_PERIOD_US * limits.vcpus());
    }

    @Override
    public List<Path> procsFiles(String group) {
        return dirs(group).stream().map(d -> d.resolve("cgroup.procs")).toList();
    }

    @Override
    protected List<Path> dirs(String group) {
        return CONTROLLERS.stream().map(c -> root.resolve(c).resolve(group)).toList();
    }
}
