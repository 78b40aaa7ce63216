package sh.chaser.agent.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs as root, as the agent does (CI and the development machines are root). */
class SandboxIdsTest {

    @TempDir
    Path dir;

    @Test
    void aFreshEmptyDiskIsHandedToTheSessionUser() throws Exception {
        Path disk = Files.createDirectory(dir.resolve("fresh"));
        SandboxIds.ownOnce(disk);
        assertThat(owner(disk)).isEqualTo(SandboxIds.hostUser());
        assertThat(Files.getAttribute(disk, "unix:gid", LinkOption.NOFOLLOW_LINKS))
                .isEqualTo((int) SandboxIds.hostUser());
    }

    @Test
    void aTreeWrittenAsRootIsHandedOverWholeWithoutFollowingLinks() throws Exception {
        Path disk = Files.createDirectory(dir.resolve("old"));
        Path file = Files.writeString(disk.resolve("notes.txt"), "x");
        Path outside = Files.writeString(dir.resolve("outside.txt"), "host");
        Files.createSymbolicLink(disk.resolve("link"), outside);
        SandboxIds.ownOnce(disk);
        assertThat(owner(disk)).isEqualTo(SandboxIds.hostUser());
        assertThat(owner(file)).isEqualTo(SandboxIds.hostUser());
        assertThat(owner(outside)).as("a link's target outside the tree keeps its owner").isEqualTo(0L);
    }

    private static long owner(Path path) throws Exception {
        return ((Number) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
    }
}
