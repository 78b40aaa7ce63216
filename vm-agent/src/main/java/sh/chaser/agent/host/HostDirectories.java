package sh.chaser.agent.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Tenants' data on the host is for root and the sandbox that uses it, not for other host users:
 * the data directory and the directories a sandbox's own ids must pass through to reach its root
 * file system and workspace are {@code 0711} (no listing), everything else the agent keeps is
 * owner-only, and the trees holding tenant files are mounted {@code nosuid,nodev}, so a setuid or
 * device file a tenant made or an image brought is inert on the host too.
 */
public final class HostDirectories {

    private static final Logger LOG = Logger.getLogger(HostDirectories.class);
    /** Under the data directory: passed through by sandboxes' ids. */
    private static final Set<String> PASSED = Set.of("sandboxes", "disk-store", "images");
    /** Under the data directory: the agent's alone, made now so they are never made world-readable later. */
    private static final List<String> PRIVATE = List.of("commands", "uploads", "runc");

    private HostDirectories() {}

    /** Sets the modes above on the data directory and what is directly in it. */
    public static void secureDataDir(Path dataDir) {
        Files2.createDirectories(dataDir);
        Files2.createDirectories(dataDir.resolve("sandboxes"));
        PRIVATE.forEach(name -> Files2.createDirectories(dataDir.resolve(name)));
        passable(dataDir);
        try (Stream<Path> children = Files.list(dataDir)) {
            for (Path child : children.toList()) {
                boolean dir = Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS);
                if (dir && PASSED.contains(child.getFileName().toString())) {
                    passable(child);
                } else if (!Files.isSymbolicLink(child)) {
                    ownerOnly(child);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether this process may mount (root): tests run as another user get the modes only. */
    public static boolean canMount() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** {@code rwx--x--x} (files: none of that applies; use {@link #ownerOnly}). */
    public static void passable(Path dir) {
        mode(dir, "rwx--x--x");
    }

    /** {@code rwx------} for a directory, {@code rw-------} for a file. */
    public static void ownerOnly(Path path) {
        mode(path, Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) ? "rwx------" : "rw-------");
    }

    private static void mode(Path path, String mode) {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Makes {@code dir} a mount of its own with {@code nosuid,nodev} (a recursive bind mount onto
     * itself, so mounts below stay, then a remount) unless it is one already. Returns whether the
     * bind is the agent's (made now, or by an agent before it that did not stop: a marker under
     * /run says so), so the caller can undo it.
     */
    public static boolean nosuidNodev(Path dir) {
        Path real = realPath(dir);
        Path marker = marker(real);
        var current = MountTable.find(real);
        if (current.isPresent() && current.get().has("nosuid") && current.get().has("nodev")) {
            return Files.exists(marker);
        }
        boolean bound = current.isEmpty();
        if (bound) {
            Commands.run(List.of("mount", "--rbind", real.toString(), real.toString()));
            try {
                Files.createDirectories(marker.getParent());
                Files.writeString(marker, real + "\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Commands.run(List.of("mount", "-o", "remount,bind,nosuid,nodev", real.toString()));
        LOG.debugf("%s is mounted nosuid,nodev", real);
        return bound || Files.exists(marker);
    }

    /** Undoes a bind mount {@link #nosuidNodev} made. */
    public static void unbind(Path dir) {
        Path real = realPath(dir);
        Commands.tryRun(List.of("umount", "-l", real.toString()), null);
        try {
            Files.deleteIfExists(marker(real));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where the agent notes a bind of its own (gone at reboot, as the mount is). */
    private static Path marker(Path real) {
        return Path.of("/run/chaser/nosuid-binds", real.toString().substring(1).replace('/', '_'));
    }

    private static Path realPath(Path dir) {
        try {
            return dir.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
