package sh.chaser.agent.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import sh.chaser.agent.host.Files2;
import sh.chaser.testhost.NeedsRoot;

/** What an interrupted debootstrap leaves (root: real mounts). */
@NeedsRoot("real mounts")
class DebianImageTest {

    private static boolean mounted(Path point) throws Exception {
        return Files.readAllLines(Path.of("/proc/self/mounts")).stream()
                .anyMatch(line -> line.split(" ")[1].equals(point.toString()));
    }

    @Test
    void mountsLeftInsideTheStagingTreeAreUndoneSoItCanBeRemoved() throws Exception {
        Path staging = Files.createTempDirectory("chaser-debian-test").resolve("rootfs.new");
        Path proc = Files.createDirectories(staging.resolve("proc"));
        Path nested = Files.createDirectories(staging.resolve("dev/pts"));
        assertThat(new ProcessBuilder("mount", "-t", "proc", "proc", proc.toString()).inheritIO().start().waitFor())
                .isZero();
        assertThat(new ProcessBuilder("mount", "-t", "tmpfs", "tmpfs", staging.resolve("dev").toString()).inheritIO()
                .start().waitFor()).isZero();
        Files.createDirectories(nested);
        assertThat(new ProcessBuilder("mount", "-t", "tmpfs", "tmpfs", nested.toString()).inheritIO().start().waitFor())
                .isZero();
        assertThat(mounted(proc)).isTrue();

        DebianImage.unmountBelow(staging);

        assertThat(mounted(proc)).isFalse();
        assertThat(mounted(nested)).isFalse();
        assertThat(mounted(staging.resolve("dev"))).isFalse();
        Files2.deleteRecursively(staging.getParent());
        assertThat(staging.getParent()).doesNotExist();
    }
}
