package sh.chaser.agent.runtime.microvm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.jboss.logging.Logger;
import sh.chaser.agent.domain.AgentError;
import sh.chaser.agent.host.Commands;
import sh.chaser.agent.image.ImageRoot;

/**
 * Each image's root as a read-only erofs file a VM attaches as its first disk, made once per
 * image root ({@code mkfs.erofs}, about 2 s for the default image) in {@code <cache>/erofs}. The
 * root's path and modification time name it: OCI roots live under their digest, and a default
 * image made again is a new directory.
 */
final class ErofsImages {

    private static final Logger LOG = Logger.getLogger(ErofsImages.class);
    private final Path dir;

    ErofsImages(Path cacheDir) {
        this.dir = cacheDir.resolve("erofs");
    }

    synchronized Path of(ImageRoot image) {
        if (!image.readOnlyBinds().isEmpty()) {
            throw AgentError.RUNTIME_UNAVAILABLE.exception("image " + image.name()
                    + " borrows the host's directories and cannot boot in a microVM");
        }
        Path rootfs = image.rootfs().toAbsolutePath();
        Path file = dir.resolve(key(rootfs) + ".erofs");
        if (Files.exists(file)) {
            return shared(file);
        }
        long started = System.nanoTime();
        build(rootfs, file, "the image's root disk");
        LOG.infof("image %s as erofs in %d ms: %s", image.name(), (System.nanoTime() - started) / 1_000_000, file);
        return file;
    }

    private static String key(Path rootfs) {
        try {
            return hash(rootfs + "|" + Files.getLastModifiedTime(rootfs).toMillis());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code mkfs.erofs} of {@code source} into {@code file}, which appears whole or not at all. */
    static void build(Path source, Path file, String what) {
        try {
            Files.createDirectories(file.getParent());
            Path fresh = Files.createTempFile(file.getParent(), "build-", ".erofs");
            var result = Commands
                    .tryRun(List.of(Commands.executable("mkfs.erofs"), fresh.toString(), source.toString()), null);
            if (result.exit() != 0) {
                Files.deleteIfExists(fresh);
                throw AgentError.BOOT_FAILED.exception("could not make " + what + ": " + result.output().strip());
            }
            shared(fresh);
            Files.move(fresh, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Readable by every VM's uid (a jailed Firecracker opens it as the VM's own uid): images are not
     * secret, any account may boot any image. Files made before VMMs dropped root are fixed on use.
     */
    static Path shared(Path file) {
        try {
            var readable = java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--");
            if (!Files.getPosixFilePermissions(file).equals(readable)) {
                Files.setPosixFilePermissions(file, readable);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A cache file's name for what {@code identity} describes (the first 128 bits of its SHA-256). */
    static String hash(String identity) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(identity.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
