package sh.chaser.agent.image;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jboss.logging.Logger;
import sh.chaser.agent.domain.AgentError;
import sh.chaser.agent.host.Commands;
import sh.chaser.agent.host.Files2;

/**
 * The default sandbox image: a Debian root filesystem made once per host with debootstrap
 * (minbase plus bash, coreutils, git, curl, python3, node, ps, sftp-server), cached in the image cache. The
 * first preparation takes a few minutes (packages come from the Debian mirror); its progress is
 * logged line by line.
 */
final class DebianImage {

    /** openssh-sftp-server: the SSH gateway's scp and sftp run its sftp-server in the sandbox. */
    static final List<String> PACKAGES = List.of("git", "curl", "ca-certificates", "python3", "nodejs", "procps",
            "openssh-sftp-server");
    private static final Logger LOG = Logger.getLogger(DebianImage.class);
    private final Path dir;
    private final String suite;
    private final String mirror;

    DebianImage(Path cache, String suite, String mirror) {
        // a new package list is a new image: a host's older one is not taken for it
        this.dir = cache.resolve("debian-" + suite + "-" + Integer.toHexString(String.join(",", PACKAGES).hashCode()));
        this.suite = suite;
        this.mirror = mirror;
    }

    boolean ready() {
        return Files.exists(dir.resolve(".ready"));
    }

    synchronized Path rootfs() {
        Path rootfs = dir.resolve("rootfs");
        if (ready()) {
            return rootfs;
        }
        long started = System.nanoTime();
        Path staging = dir.resolve("rootfs.new");
        unmountBelow(staging);
        Files2.deleteRecursively(staging);
        Files2.createDirectories(staging);
        // the image cache is mounted nodev,nosuid (HostDirectories), where debootstrap refuses to
        // work: its target gets a mount of its own without them while it runs
        if (sh.chaser.agent.host.HostDirectories.canMount()) {
            Commands.run(List.of("mount", "--bind", staging.toString(), staging.toString()));
            Commands.run(List.of("mount", "-o", "remount,bind,dev,suid,exec", staging.toString()));
        }
        LOG.infof("preparing the default image: debootstrap %s from %s with %s (first time only, a few minutes)",
                suite, mirror, PACKAGES);
        // debootstrap dies with the agent: a restarted agent starts the preparation over cleanly
        var builder = new ProcessBuilder(Commands.executable("setpriv"), "--pdeathsig", "KILL",
                Commands.executable("debootstrap"), "--variant=minbase",
                "--include=" + String.join(",", PACKAGES), suite, staging.toString(), mirror).redirectErrorStream(true);
        builder.environment().put("PATH", Commands.searchPath());
        try {
            Process process = builder.start();
            try (var lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                int steps = 0;
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    // one line per package and step; every 25th is enough to show it moves
                    boolean perPackage = line
                            .matches("I: (Retrieving|Validating|Extracting|Unpacking|Configuring) \\S+\\.\\.\\.");
                    if (!perPackage || ++steps % 25 == 0) {
                        LOG.infof("  debootstrap: %s%s", line, perPackage ? " (" + steps + " steps)" : "");
                    }
                }
            }
            if (process.waitFor() != 0) {
                throw AgentError.IMAGE_PULL_FAILED
                        .exception("the default image could not be prepared (debootstrap failed;"
                                + " see the agent log)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            unmountBelow(staging);
        }
        Files2.deleteRecursively(staging.resolve("var/cache/apt/archives"));
        Images.prepareRoot(staging);
        try {
            Files2.deleteRecursively(rootfs);
            Files.move(staging, rootfs);
            Files.writeString(dir.resolve(".ready"), "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LOG.infof("default image ready in %d s: %s", (System.nanoTime() - started) / 1_000_000_000, rootfs);
        return rootfs;
    }

    /**
     * debootstrap mounts /proc (and more) inside its target; killed halfway (the agent stopped
     * during a first preparation) it leaves them mounted, and the staging tree cannot be removed.
     * Deepest first, lazily, so a busy one does not block the retry; the staging tree's own mount last.
     */
    static void unmountBelow(Path staging) {
        String own = staging.toAbsolutePath().toString();
        String prefix = own + "/";
        List<String> mounted;
        try {
            mounted = Files.readAllLines(Path.of("/proc/self/mounts")).stream().map(line -> line.split(" ")[1])
                    .map(DebianImage::unescape).filter(point -> point.startsWith(prefix) || point.equals(own))
                    .sorted(java.util.Comparator.comparingInt(String::length).reversed()).toList();
        } catch (IOException e) {
            return;
        }
        for (String point : mounted) {
            LOG.debugf("unmounting %s (image preparation)", point);
            try {
                new ProcessBuilder(Commands.executable("umount"), "-l", point).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
            } catch (IOException e) {
                LOG.warnf("could not unmount %s: %s", point, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** /proc/self/mounts escapes space, tab, newline and backslash as octal. */
    private static String unescape(String field) {
        return field.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }
}
