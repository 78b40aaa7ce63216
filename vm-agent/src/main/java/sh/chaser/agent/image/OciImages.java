package sh.chaser.agent.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;
import sh.chaser.agent.domain.AgentError;
import sh.chaser.agent.host.Commands;
import sh.chaser.agent.host.Files2;

/**
 * OCI images pulled with skopeo and unpacked with umoci into a root filesystem, cached by
 * manifest digest under {@code cache/oci/<digest>/rootfs}: a second sandbox of the same image
 * costs nothing, and a tag that moves is pulled again. Registries named in
 * {@code insecureRegistries} are reached over plain HTTP (a local registry).
 */
final class OciImages {

    private static final Logger LOG = Logger.getLogger(OciImages.class);
    private final Path cache;
    private final Set<String> insecureRegistries;

    OciImages(Path cache, Set<String> insecureRegistries) {
        this.cache = cache;
        this.insecureRegistries = insecureRegistries;
    }

    /** Version 2: unpacked for sandboxes with their own ids (bundle reachable,
            /tmp 1777); older caches are unpacked again. */
    private static final String READY = ".ready-2";

    synchronized Path rootfs(String reference) {
        String digest = digest(reference);
        Path dir = cache.resolve("oci").resolve(digest.replace(':', '-'));
        Path rootfs = dir.resolve("bundle/rootfs");
        if (Files.exists(dir.resolve(READY))) {
            return rootfs;
        }
        long started = System.nanoTime();
        Files2.deleteRecursively(dir);
        Path layout = dir.resolve("layout");
        Files2.createDirectories(dir);
        LOG.infof("pulling image %s (%s)", reference, digest);
        var pull = Commands
                .tryRun(List.of("skopeo", "copy", tls("--src-tls-verify", reference), "docker://" + reference,
                        "oci:" + layout + ":image"), null);
        pull.output().lines().filter(line -> line.startsWith("Copying"))
                .forEach(line -> LOG.infof("  %s: %s", reference, line));
        if (pull.exit() != 0) {
            LOG.warnf("pulling %s failed: %s", reference, pull.output().strip());
            throw AgentError.IMAGE_PULL_FAILED.exception("image " + reference + " could not be pulled");
        }
        LOG.infof("unpacking image %s", reference);
        Commands.run(List.of("umoci", "unpack", "--image", layout + ":image", dir.resolve("bundle").toString()));
        // umoci makes the bundle owner-only; a sandbox's user namespace must reach the root filesystem in it
        Commands.run(List.of("chmod", "0711", dir.resolve("bundle").toString()));
        Images.prepareRoot(rootfs);
        Files2.deleteRecursively(layout);
        write(dir.resolve(READY));
        LOG.infof("image %s ready in %d ms", reference, (System.nanoTime() - started) / 1_000_000);
        return rootfs;
    }

    private String digest(String reference) {
        var inspect = Commands.tryRun(List.of("skopeo", "inspect", tls("--tls-verify", reference), "--format",
                "{{.Digest}}", "docker://" + reference), null);
        if (inspect.exit() != 0) {
            String output = inspect.output().toLowerCase();
            if (output.contains("manifest unknown") || output.contains("not found") || output.contains("name unknown")
                    || output.contains("unauthorized")) {
                throw AgentError.IMAGE_NOT_FOUND.exception("image " + reference + " does not exist in its registry");
            }
            LOG.warnf("inspecting %s failed: %s", reference, inspect.output().strip());
            throw AgentError.IMAGE_PULL_FAILED.exception("the registry of " + reference + " could not be reached");
        }
        String digest = inspect.output().strip();
        if (!digest.matches("sha256:[0-9a-f]{64}")) {
            throw AgentError.IMAGE_PULL_FAILED.exception("the registry gave no digest for " + reference);
        }
        return digest;
    }

    private String tls(String option, String reference) {
        String registry = reference.contains("/") ? reference.substring(0, reference.indexOf('/')) : "";
        String host = registry.contains(":") ? registry.substring(0, registry.indexOf(':')) : registry;
        return option + "=" + !(insecureRegistries.contains(registry) || insecureRegistries.contains(host));
    }

    private static void write(Path file) {
        try {
            Files.writeString(file, "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
