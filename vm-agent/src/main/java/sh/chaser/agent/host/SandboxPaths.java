package sh.chaser.agent.host;

import java.nio.file.Path;
import sh.chaser.agent.domain.SandboxSpec;

/** Where a sandbox's files live under the agent's data directory. */
public record SandboxPaths(Path dataDir) {

    public Path sandboxes() {
        return dataDir.resolve("sandboxes");
    }

    public Path sandbox(String sessionId) {
        return sandboxes().resolve(sessionId);
    }

    /** Where the disk store keeps workspace disks and snapshots. */
    public Path diskStore() {
        return dataDir.resolve("disk-store");
    }

    /**
     * Where runtimes without a disk store keep /workspace (the namespace runtime takes the disk
     * store's: a workspace's disk, or capped scratch space that dies with the sandbox).
     */
    public Path workspace(SandboxSpec spec) {
        return spec.ephemeral()
                ? sandbox(spec.sessionId()).resolve("scratch")
                : diskStore().resolve("disks").resolve(spec.workspaceId());
    }

    public Path initLog(String sessionId) {
        return sandbox(sessionId).resolve("init.log");
    }
}
