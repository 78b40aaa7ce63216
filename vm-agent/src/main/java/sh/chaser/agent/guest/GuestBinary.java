package sh.chaser.agent.guest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The {@code chaser-guest} binary sandboxes run, copied into the agent's data directory (root's,
 * 0755), so a sandbox's user can run it whatever the permissions on the way to the build's copy
 * are, and a rebuild never changes a binary running sandboxes use (a new copy replaces it).
 */
public final class GuestBinary {

    private GuestBinary() {}

    /** The configured binary or the build's, empty when there is none. */
    public static Optional<Path> find(Optional<String> configured) {
        if (configured.isPresent() && !configured.get().isBlank()) {
            Path path = Path.of(configured.get());
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        return ShippedFiles.find("target/guest/chaser-guest", "/deployments/guest/chaser-guest");
    }

    /** Copies {@code source} to {@code dataDir}/guest/chaser-guest unless the same bytes are there; the copy. */
    public static Path install(Path source, Path dataDir) {
        Path dir = dataDir.resolve("guest");
        Path target = dir.resolve("chaser-guest");
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            if (Files.exists(target) && Files.mismatch(source, target) == -1) {
                return target;
            }
            Path fresh = Files.createTempFile(dir, "chaser-guest", ".new");
            Files.copy(source, fresh, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(fresh, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("could not install the guest agent into " + dir, e);
        }
    }
}
