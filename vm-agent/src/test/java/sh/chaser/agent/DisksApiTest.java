package sh.chaser.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;
import sh.chaser.agent.support.AgentClient;
import sh.chaser.agent.support.AgentTestProfile;
import sh.chaser.agent.support.SandboxHost;
import sh.chaser.agent.support.SandboxTest;
import sh.chaser.proto.vmagent.v1.CloneDiskRequest;
import sh.chaser.proto.vmagent.v1.CreateDiskRequest;
import sh.chaser.proto.vmagent.v1.DiskRef;
import sh.chaser.proto.vmagent.v1.Limits;
import sh.chaser.proto.vmagent.v1.ListDisksRequest;
import sh.chaser.proto.vmagent.v1.Snapshot;
import sh.chaser.proto.vmagent.v1.SnapshotRef;

/** The disk API over gRPC, with the disks mounted in real sandboxes. */
@QuarkusTest
@TestProfile(AgentTestProfile.class)
@SandboxHost
class DisksApiTest extends SandboxTest {

    private String bootOn(String disk) {
        String id = AgentClient.newSessionId();
        agent.boot(id, Limits.getDefaultInstance(), disk);
        return id;
    }

    @Test
    void snapshotRestoreAndCloneAsASandboxSeesThem() {
        String disk = "d-" + AgentClient.newSessionId();
        var created = disks.createDisk(CreateDiskRequest.newBuilder().setDiskId(disk).build());
        assertThat(created.getStore()).isEqualTo("btrfs");
        assertThat(created.getCapBytes()).isEqualTo(AgentTestProfile.CAP_BYTES);
        assertThat(disks.createDisk(CreateDiskRequest.newBuilder().setDiskId(disk).build()).getDiskId())
                .isEqualTo(disk);

        String first = bootOn(disk);
        assertThat(in(first, "echo v1 > /workspace/file && ln -s file /workspace/link && chmod 600 /workspace/file")
                .exit())
                .isZero();
        Snapshot snapshot = disks.createSnapshot(SnapshotRef.newBuilder().setDiskId(disk).setName("v1").build());
        assertThat(snapshot.getCreatedAt()).isNotEmpty();
        in(first, "echo v2 > /workspace/file && rm /workspace/link && touch /workspace/extra");
        assertThatThrownBy(() -> disks.restoreSnapshot(SnapshotRef.newBuilder().setDiskId(disk).setName("v1").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(AgentClient.code(e)).isEqualTo("disk_in_use"));
        agent.destroy(first);

        disks.restoreSnapshot(SnapshotRef.newBuilder().setDiskId(disk).setName("v1").build());
        disks.cloneDisk(CloneDiskRequest.newBuilder().setSourceDiskId(disk).setDiskId(disk + "-copy").build());
        String second = bootOn(disk + "-copy");
        assertThat(
                in(second, "cat /workspace/file; readlink /workspace/link; stat -c %a /workspace/file; ls /workspace")
                        .output())
                .isEqualTo("v1\nfile\n600\nfile\nlink\n");
        assertThat(disks.diskUsage(DiskRef.newBuilder().setDiskId(disk).build()).getUsedBytes()).isEqualTo(3);
        assertThat(disks.listSnapshots(DiskRef.newBuilder().setDiskId(disk).build()).getSnapshotsList())
                .extracting(Snapshot::getName).containsExactly("v1");
        agent.destroy(second);

        assertThat(disks.listDisks(ListDisksRequest.getDefaultInstance()).getDisksList())
                .extracting(d -> d.getDiskId()).contains(disk, disk + "-copy");
        assertThat(disks.deleteDisk(DiskRef.newBuilder().setDiskId(disk + "-copy").build()).getExisted()).isTrue();
        assertThat(disks.listDisks(ListDisksRequest.getDefaultInstance()).getDisksList())
                .extracting(d -> d.getDiskId()).contains(disk).doesNotContain(disk + "-copy");
        assertThat(disks.deleteDisk(DiskRef.newBuilder().setDiskId(disk + "-copy").build()).getExisted()).isFalse();
        assertThat(disks.deleteDisk(DiskRef.newBuilder().setDiskId(disk).build()).getExisted()).isTrue();
        assertThatThrownBy(() -> disks.diskUsage(DiskRef.newBuilder().setDiskId(disk).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(AgentClient.code(e)).isEqualTo("disk_not_found"));
    }

    @Test
    void writesBeyondTheCapFailInsideTheSandbox() {
        String disk = "cap-" + AgentClient.newSessionId();
        disks.createDisk(CreateDiskRequest.newBuilder().setDiskId(disk).build());
        String id = bootOn(disk);
        var result = in(id, "dd if=/dev/zero of=/workspace/big bs=1M count=128 conv=fsync 2>&1");
        assertThat(result.exit()).isNotZero();
        assertThat(result.output()).containsAnyOf("Disk quota exceeded", "No space left on device");
        assertThat(in(id,
                "echo small > /workspace/small-after-rm; rm /workspace/big; echo ok > /workspace/ok && cat /workspace/ok")
                .output()).endsWith("ok\n");
        agent.destroy(id);
        disks.deleteDisk(DiskRef.newBuilder().setDiskId(disk).build());
    }
}
