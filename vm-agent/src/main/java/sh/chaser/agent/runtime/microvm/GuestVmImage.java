package sh.chaser.agent.runtime.microvm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;
import sh.chaser.agent.host.Commands;

/**
 * What every microVM boots: the kernel of Debian's linux-image-amd64 as an uncompressed vmlinux
 * and an initramfs holding busybox, the virtio modules, the guest's init and {@code chaser-guest},
 * made by {@code vm-agent/guest/vm/build-guest} into {@code <cache>/guest-vm} once, and again only
 * when the agent binary or the init changed (the kernel is downloaded once per version).
 */
final class GuestVmImage {

    private static final Logger LOG = Logger.getLogger(GuestVmImage.class);

    public record Files(Path kernel, Path initramfs) {}

    private final Path out;
    private final Path buildScript;
    private final Path agent;
    private volatile Files ready;

    GuestVmImage(Path cacheDir, Path buildScript, Path agent) {
        this.out = cacheDir.resolve("guest-vm");
        this.buildScript = buildScript;
        this.agent = agent;
    }

    /** build-guest beside the agent's sources, or in the image. */
    static Optional<Path> findBuildScript() {
        return sh.chaser.agent.guest.ShippedFiles.find("guest/vm/build-guest", "/deployments/guest/vm/build-guest");
    }

    /** The kernel and initramfs, built first if missing or stale (minutes the first time: a download). */
    synchronized Files ensure() {
        if (ready != null) {
            return ready;
        }
        Files files = new Files(out.resolve("vmlinux"), out.resolve("initramfs.cpio.gz"));
        Path stamp = out.resolve("initramfs.source");
        String source = fingerprint();
        try {
            if (java.nio.file.Files.exists(files.kernel()) && java.nio.file.Files.exists(files.initramfs())
                    && java.nio.file.Files.exists(stamp)
                    && java.nio.file.Files.readString(stamp).strip().equals(source)) {
                return ready = files;
            }
            LOG.infof("building the microVM kernel and initramfs into %s (the first time downloads linux-image-amd64)",
                    out);
            var result = Commands.tryRun(List.of(buildScript.toString(), out.toString(), agent.toString()), null,
                    java.time.Duration.ofMinutes(20));
            if (result.exit() != 0) {
                throw new IllegalStateException("build-guest failed: " + result.output().strip());
            }
            LOG.info(result.output().strip());
            java.nio.file.Files.writeString(stamp, source);
            return ready = files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String fingerprint() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(java.nio.file.Files.readAllBytes(agent));
            digest.update(java.nio.file.Files.readAllBytes(buildScript));
            digest.update(java.nio.file.Files.readAllBytes(buildScript.resolveSibling("init")));
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
