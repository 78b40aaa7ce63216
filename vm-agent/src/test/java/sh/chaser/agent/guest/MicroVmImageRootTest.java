package sh.chaser.agent.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import sh.chaser.agent.image.ImageStore;
import sh.chaser.testhost.NeedsRoot;
import sh.chaser.testhost.NeedsTools;

/**
 * A microVM on the platform's default image and a workspace disk, as VM sessions will run: the
 * image's root as a read-only erofs image (built from the image cache's rootfs) under a tmpfs
 * overlay in the guest, the workspace a raw ext4 image; a file written in one VM is there in the
 * next VM on the same disk, and the image itself is not changed by what the guest writes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@NeedsRoot("a tap device, a VM and the image cache")
@NeedsTools({ "qemu-system-x86_64", "busybox", "cpio", "modprobe", "python3", "ip", "mkfs.erofs", "debootstrap" })
class MicroVmImageRootTest {

    private Path root;
    private Path workspace;

    @BeforeAll
    void images() throws Exception {
        MicroVm.buildGuest();
        Path rootfs = new ImageStore(Path.of("/var/cache/chaser/images"), "debian", "http://deb.debian.org/debian",
                Set.of())
                .resolve("base").rootfs();
        root = MicroVm.OUT.resolve("debian-root.erofs");
        Files.deleteIfExists(root);
        MicroVm.run("mkfs.erofs", root.toString(), rootfs.toString());
        workspace = MicroVm.OUT.resolve("workspace.ext4");
        Files.deleteIfExists(workspace);
        MicroVm.run("truncate", "-s", "1G", workspace.toString());
        MicroVm.run("mkfs.ext4", "-q", "-F", "-E", "lazy_itable_init=1,lazy_journal_init=1", workspace.toString());
    }

    private MicroVm boot() throws Exception {
        return MicroVm.boot("chqtest1", "10.250.80", List.of(root + ":ro", workspace.toString()),
                "chaser.root=erofs chaser.ws=vdb", 180);
    }

    private static String run(MicroVm vm, String command) throws Exception {
        var result = vm.client.exec(command, null, null, Duration.ofSeconds(60));
        assertThat(result.exitCode()).as(command).isZero();
        return new String(result.output(), StandardCharsets.UTF_8);
    }

    @Test
    void theImageRunsInTheVmAndTheWorkspaceOutlivesIt() throws Exception {
        try (MicroVm first = boot()) {
            assertThat(run(first, "cat /etc/debian_version")).matches("12(\\.\\d+)?\\n");
            assertThat(run(first, "bash -c 'echo $BASH_VERSION'")).startsWith("5.");
            run(first, "echo kept > /workspace/note && touch /var/tmp/written-in-the-vm");
            assertThat(run(first, "stat -c %u /workspace/note")).isEqualTo("1000\n");
        }
        try (MicroVm second = boot()) {
            assertThat(run(second, "cat /workspace/note")).isEqualTo("kept\n");
            // the root is the image again: what the last VM wrote outside the workspace is gone
            assertThat(run(second, "test -e /var/tmp/written-in-the-vm && echo there || echo gone"))
                    .isEqualTo("gone\n");
        }
    }
}
