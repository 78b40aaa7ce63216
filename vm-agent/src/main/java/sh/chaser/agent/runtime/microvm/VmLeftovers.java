package sh.chaser.agent.runtime.microvm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import sh.chaser.agent.host.Files2;
import sh.chaser.agent.host.ProcessTable;
import sh.chaser.agent.host.SandboxPaths;
import sh.chaser.agent.runtime.namespace.Cgroups;

/** What VMs leave when the vm-agent dies at the wrong moment: a VMM no record names, and its cgroup. */
final class VmLeftovers {

    private static final Logger LOG = Logger.getLogger(VmLeftovers.class);
    private final SandboxPaths paths;
    private final Cgroups cgroups;
    private final String parentGroup;

    VmLeftovers(SandboxPaths paths, Cgroups cgroups, String parentGroup) {
        this.paths = paths;
        this.cgroups = cgroups;
        this.parentGroup = parentGroup;
    }

    static String group(String parentGroup, String sessionId) {
        return parentGroup + "/" + sessionId;
    }

    /** A VM an earlier boot of this sandbox started before the agent died (its pid was never saved). */
    static void stopLeftover(Vmm vmm, Path dir) {
        long pid = vmm.runningPid(dir);
        if (pid > 0) {
            LOG.infof("stopping the VM an interrupted boot left (pid %d)", pid);
            vmm.stop(dir, pid, ProcessTable.startTicks(pid));
        }
        vmm.release(dir);
    }

    /** VMs whose sandbox no record knows (a crash between starting the VMM and saving its pid) are stopped. */
    void sweepOrphans(Supplier<Set<String>> known, Vmm vmm, String pidFileName) {
        if (!Files.isDirectory(paths.sandboxes())) {
            return;
        }
        java.util.List<Path> dirs;
        try (var all = Files.list(paths.sandboxes())) {
            dirs = all.filter(dir -> Files.exists(dir.resolve(pidFileName))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<String> knownIds = known.get();
        for (Path dir : dirs) {
            String sessionId = dir.getFileName().toString();
            if (knownIds.contains(sessionId)) {
                continue;
            }
            long pid = vmm.runningPid(dir);
            if (pid > 0) {
                LOG.infof("stopping orphaned VM %s (pid %d)", sessionId, pid);
                vmm.stop(dir, pid, ProcessTable.startTicks(pid));
            }
            cgroups.destroy(group(parentGroup, sessionId));
            vmm.release(dir);
            Files2.deleteRecursively(dir);
        }
        for (String child : cgroups.children(parentGroup)) {
            if (!knownIds.contains(child)) {
                LOG.infof("removing orphaned VM cgroup %s", child);
                cgroups.destroy(group(parentGroup, child));
            }
        }
    }
}
