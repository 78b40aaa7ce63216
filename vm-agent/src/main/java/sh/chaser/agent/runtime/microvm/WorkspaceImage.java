package sh.chaser.agent.runtime.microvm;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import sh.chaser.agent.domain.AgentError;
import sh.chaser.agent.host.Commands;

/**
 * A workspace as a VM sees it: a sparse raw ext4 image kept inside the workspace's disk
 * ({@value #NAME}), so the disk store's snapshots, restores, clones (btrfs reflinks), quotas and
 * usage take it along unchanged. The host never mounts it: a guest could have written anything
 * into it, and a file system the host kernel parses is attack surface.
 */
final class WorkspaceImage {

    static final String NAME = ".chaser-vm-disk.ext4";

    private WorkspaceImage() {}

    /** The image in {@code disk}, made (sparse, {@code bytes} large, owned inside by uid 1000) on first use. */
    static Path ensure(Path disk, long bytes) {
        Path image = disk.resolve(NAME);
        if (Files.exists(image)) {
            return image;
        }
        Path fresh = disk.resolve(NAME + ".new");
        try {
            Files.deleteIfExists(fresh);
            try (RandomAccessFile file = new RandomAccessFile(fresh.toFile(), "rw")) {
                file.setLength(bytes);
            }
            var result = Commands.tryRun(List.of(Commands.executable("mkfs.ext4"), "-q", "-F", "-m", "0",
                    "-E", "lazy_itable_init=1,lazy_journal_init=1,root_owner=1000:1000", fresh.toString()), null);
            if (result.exit() != 0) {
                Files.deleteIfExists(fresh);
                throw AgentError.BOOT_FAILED
                        .exception("could not make the workspace's disk image: " + result.output().strip());
            }
            Files.setPosixFilePermissions(fresh, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            Files.move(fresh, image, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
