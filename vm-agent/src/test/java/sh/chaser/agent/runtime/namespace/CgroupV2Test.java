package sh.chaser.agent.runtime.namespace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sh.chaser.agent.domain.Limits;

/**
 * cgroup v2 as files: these machines mount only v1 controllers, so the unified hierarchy is
 * checked against a directory laid out like one (the v1 driver runs for real in the sandbox tests).
 */
class CgroupV2Test {

    @TempDir
    Path root;

    @Test
    void detectedWhenTheUnifiedHierarchyOffersMemoryCpuAndPids() throws Exception {
        Files.writeString(root.resolve("cgroup.controllers"), "cpuset cpu io memory hugetlb pids rdma misc\n");
        assertThat(Cgroups.detect(root)).get().extracting(Cgroups::version).isEqualTo("v2");
    }

    @Test
    void hybridHostsWithOnlyHugetlbInV2UseV1() throws Exception {
        Files.writeString(root.resolve("cgroup.controllers"), "hugetlb\n");
        for (String controller : new String[]{ "memory", "cpu", "pids" }) {
            Files.createDirectories(root.resolve(controller));
        }
        assertThat(Cgroups.detect(root)).get().extracting(Cgroups::version).isEqualTo("v1");
    }

    @Test
    void limitsAreWrittenAndControllersDelegatedDownThePath() throws Exception {
        Files.writeString(root.resolve("cgroup.controllers"), "cpu memory pids\n");
        Cgroups v2 = Cgroups.detect(root).orElseThrow();
        v2.create("chaser/host-a/s1", new Limits(2, 64L << 20, 100));

        Path group = root.resolve("chaser/host-a/s1");
        assertThat(root.resolve("cgroup.subtree_control")).hasContent("+memory +cpu +pids");
        assertThat(root.resolve("chaser/cgroup.subtree_control")).hasContent("+memory +cpu +pids");
        assertThat(root.resolve("chaser/host-a/cgroup.subtree_control")).hasContent("+memory +cpu +pids");
        assertThat(group.resolve("memory.max")).hasContent(Long.toString(64L << 20));
        assertThat(group.resolve("pids.max")).hasContent("100");
        assertThat(group.resolve("cpu.max")).hasContent("200000 100000");
        assertThat(v2.procsFiles("chaser/host-a/s1")).containsExactly(group.resolve("cgroup.procs"));
        assertThat(v2.children("chaser/host-a")).containsExactly("s1");
    }
}
