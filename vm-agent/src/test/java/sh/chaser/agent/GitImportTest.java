package sh.chaser.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import sh.chaser.agent.disk.DiskStore;
import sh.chaser.agent.disk.GitImport;
import sh.chaser.agent.domain.AgentException;
import sh.chaser.agent.support.AgentClient;
import sh.chaser.agent.support.AgentTestProfile;
import sh.chaser.agent.support.SandboxHost;
import sh.chaser.agent.support.SandboxTest;
import sh.chaser.proto.vmagent.v1.DiskRef;
import sh.chaser.proto.vmagent.v1.ImportGitRequest;
import sh.chaser.proto.vmagent.v1.ImportProgress;
import sh.chaser.proto.vmagent.v1.Limits;

/** ImportGit over gRPC from a git server the test runs on loopback; the result seen inside a sandbox. */
@QuarkusTest
@TestProfile(AgentTestProfile.class)
@SandboxHost
class GitImportTest extends SandboxTest {

    @Inject
    DiskStore store;
    private List<ImportProgress> importGit(String disk, String repository, String ref) {
        List<ImportProgress> progress = new ArrayList<>();
        disks.importGit(ImportGitRequest.newBuilder().setDiskId(disk).setRepository(repository).setRef(ref).build())
                .forEachRemaining(progress::add);
        return progress;
    }

    private String inside(String disk, String script) {
        String id = AgentClient.newSessionId();
        agent.boot(id, Limits.getDefaultInstance(), disk);
        try {
            return in(id, script).output();
        } finally {
            agent.destroy(id);
        }
    }

    @Test
    void importsTheDefaultBranchWithProgressAndOnlyOnce() {
        String disk = "git-" + AgentClient.newSessionId().substring(0, 8);
        var progress = importGit(disk, "acme/hello", "");
        assertThat(progress).extracting(ImportProgress::getPhase).contains("cloning").last().isEqualTo("done");
        assertThat(inside(disk,
                "cat /workspace/README; ls /workspace/FEATURE 2>&1 | head -1; git -C /workspace log --format=%s"))
                .startsWith("hello from acme\n").contains("No such file").endsWith("first\n");
        assertThat(importGit(disk, "acme/hello", "")).extracting(ImportProgress::getPhase).containsExactly("done");
        disks.deleteDisk(DiskRef.newBuilder().setDiskId(disk).build());
    }

    @Test
    void importsABranchOrATag() {
        String feature = "git-" + AgentClient.newSessionId().substring(0, 8);
        importGit(feature, "acme/hello", "feature");
        assertThat(inside(feature, "cat /workspace/FEATURE")).isEqualTo("feature work\n");
        String tag = "git-" + AgentClient.newSessionId().substring(0, 8);
        importGit(tag, "acme/hello", "v1");
        assertThat(inside(tag, "ls /workspace")).isEqualTo("README\n");
        disks.deleteDisk(DiskRef.newBuilder().setDiskId(feature).build());
        disks.deleteDisk(DiskRef.newBuilder().setDiskId(tag).build());
    }

    @Test
    void failuresHaveCodesAndLeaveTheDiskEmptyAndReusable() {
        String disk = "git-" + AgentClient.newSessionId().substring(0, 8);
        assertThatThrownBy(() -> importGit(disk, "acme/missing", "")).isInstanceOfSatisfying(
                StatusRuntimeException.class,
                e -> assertThat(AgentClient.code(e)).isEqualTo("git_repository_not_found"));
        assertThat(store.path(disk).toFile().list()).isEmpty();
        assertThatThrownBy(() -> importGit(disk, "acme/hello", "no-such-ref")).isInstanceOfSatisfying(
                StatusRuntimeException.class, e -> assertThat(AgentClient.code(e)).isEqualTo("git_ref_not_found"));
        assertThat(store.path(disk).toFile().list()).isEmpty();
        assertThatThrownBy(() -> importGit(disk, "../etc", "")).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(AgentClient.code(e)).isEqualTo("invalid_request"));

        var unreachable = new GitImport(store, "git://127.0.0.1:1");
        assertThatThrownBy(() -> unreachable.run(disk, "acme/hello", "", p -> {}))
                .isInstanceOfSatisfying(AgentException.class,
                        e -> assertThat(e.error().code()).isEqualTo("git_unreachable"));
        assertThat(store.path(disk).toFile().list()).isEmpty();

        assertThat(importGit(disk, "acme/hello", "")).last().extracting(ImportProgress::getPhase).isEqualTo("done");
        disks.deleteDisk(DiskRef.newBuilder().setDiskId(disk).build());
    }
}
