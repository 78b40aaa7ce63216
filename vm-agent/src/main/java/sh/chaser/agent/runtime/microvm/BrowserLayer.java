package sh.chaser.agent.runtime.microvm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;
import sh.chaser.agent.domain.AgentError;
import sh.chaser.agent.host.Commands;
import sh.chaser.agent.host.Files2;

/**
 * What a browser microVM adds to its image: the host's Chromium with every package it needs that
 * the image lacks, as a read-only erofs layer the guest puts over the image's root. The namespace
 * runtime lends a browser the host's whole /usr; a VM gets only Chromium's packages (hundreds of
 * MiB, not the host's GiBs), their files copied at their real paths (Debian's /lib is a link to
 * /usr/lib, and a directory named lib in the layer would hide it). Made once per host package set
 * and image root ({@code <cache>/browser-vm}).
 */
final class BrowserLayer {

    private static final Logger LOG = Logger.getLogger(BrowserLayer.class);
    static final List<String> PACKAGES = List.of("chromium", "fonts-liberation");
    private final Path dir;

    BrowserLayer(Path cacheDir) {
        this.dir = cacheDir.resolve("browser-vm");
    }

    synchronized Path of(Path imageRoot) {
        if (!Files.isExecutable(Path.of("/usr/lib/chromium/chromium"))) {
            throw AgentError.RUNTIME_UNAVAILABLE
                    .exception("Chromium is not installed on this host (apt-get install chromium)");
        }
        Path file = dir.resolve(key(imageRoot) + ".erofs");
        if (Files.exists(file)) {
            return ErofsImages.shared(file);
        }
        long started = System.nanoTime();
        Path staging = dir.resolve("staging");
        try {
            Files.createDirectories(dir);
            Files2.deleteRecursively(staging);
            Files.createDirectories(staging);
            Set<String> packages = missingFrom(imageRoot);
            int copied = 0;
            for (String pkg : packages) {
                // the closure names alternatives too; only the installed one lists its files
                var files = Commands.tryRun(List.of(Commands.executable("dpkg"), "-L", pkg), null);
                if (files.exit() != 0) {
                    continue;
                }
                for (String listed : files.output().split("\n")) {
                    copied += copy(Path.of(listed.strip()), staging) ? 1 : 0;
                }
            }
            ErofsImages.build(staging, file, "the browser layer");
            LOG.infof("browser layer for microVMs in %d ms: %d packages, %d files, %s",
                    (System.nanoTime() - started) / 1_000_000,
                    packages.size(), copied, file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            Files2.deleteRecursively(staging);
        }
    }

    /** Chromium's dependency closure as installed on the host, less what the image has installed. */
    private static Set<String> missingFrom(Path imageRoot) throws IOException {
        List<String> command = new ArrayList<>(List.of(Commands.executable("apt-cache"), "depends", "--recurse",
                "--no-recommends", "--no-suggests", "--no-conflicts", "--no-breaks", "--no-replaces", "--no-enhances",
                "--installed"));
        command.addAll(PACKAGES);
        Set<String> closure = new LinkedHashSet<>();
        for (String line : Commands.run(command).split("\n")) {
            if (!line.isEmpty() && Character.isLetterOrDigit(line.charAt(0))) {
                closure.add(line.strip().replaceAll(":amd64$", ""));
            }
        }
        closure.removeAll(installed(imageRoot.resolve("var/lib/dpkg/status")));
        return closure;
    }

    private static Set<String> installed(Path status) throws IOException {
        Set<String> names = new LinkedHashSet<>();
        String name = null;
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("Package: ")) {
                name = line.substring(9).strip();
            } else if (line.startsWith("Status: ") && line.endsWith(" installed") && name != null) {
                names.add(name);
            }
        }
        return names;
    }

    /** A package's file or link at its real directory (its parent's links resolved) under {@code staging}. */
    private static boolean copy(Path listed, Path staging) throws IOException {
        if (!listed.isAbsolute() || Files.isDirectory(listed, LinkOption.NOFOLLOW_LINKS)
                || !Files.exists(listed.getParent())) {
            return false;
        }
        if (!Files.exists(listed, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        Path real = listed.getParent().toRealPath().resolve(listed.getFileName());
        Path target = staging.resolve(real.toString().substring(1));
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        Files.createDirectories(target.getParent());
        Files.copy(real, target, LinkOption.NOFOLLOW_LINKS, StandardCopyOption.COPY_ATTRIBUTES);
        return true;
    }

    private static String key(Path imageRoot) {
        try {
            return ErofsImages
                    .hash(imageRoot.toAbsolutePath() + "|" + Files.getLastModifiedTime(imageRoot).toMillis() + "|"
                            + Files.getLastModifiedTime(Path.of("/var/lib/dpkg/status")).toMillis() + "|" + PACKAGES);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
