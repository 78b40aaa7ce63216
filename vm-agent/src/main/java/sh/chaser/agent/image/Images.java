package sh.chaser.agent.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/** What every root filesystem needs before a sandbox runs from it read-only. */
final class Images {

    private Images() {}

    /**
     * Mount points the runtime needs (/etc/fonts: browsers get the host's font configuration), /tmp
     * world-writable with the sticky bit (runc gives the tmpfs over it the mode of the directory under
     * it), and the sandbox user (uid 1000) in /etc/passwd and /etc/group.
     */
    static void prepareRoot(Path rootfs) {
        try {
            for (String dir : List.of("proc", "dev", "tmp", "run", "workspace", "etc", "etc/fonts")) {
                Path path = rootfs.resolve(dir);
                if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(path);
                }
            }
            stickyTmp(rootfs);
            appendIfMissing(rootfs.resolve("etc/passwd"), ":1000:", "user:x:1000:1000:user:/workspace:/bin/sh\n");
            appendIfMissing(rootfs.resolve("etc/group"), ":1000:", "user:x:1000:\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the root filesystem " + rootfs, e);
        }
    }

    /**
     * The image's /tmp is 1777: runc gives the sandbox's /tmp (a tmpfs) the mode of the directory
     * it covers, and the sandbox's user (and its guest agent) must be able to write there.
     */
    static void stickyTmp(Path rootfs) {
        Path tmp = rootfs.resolve("tmp");
        try {
            if (Files.isDirectory(tmp, LinkOption.NOFOLLOW_LINKS)
                    && ((Integer) Files.getAttribute(tmp, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777) != 01777) {
                sh.chaser.agent.host.Commands.run(List.of("chmod", "1777", tmp.toString()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make " + tmp + " writable for everyone", e);
        }
    }

    private static void appendIfMissing(Path file, String marker, String line) throws IOException {
        if (Files.isSymbolicLink(file)) {
            return; // never write through a link an image put there
        }
        String content = Files.exists(file) ? Files.readString(file) : "";
        if (!content.contains(marker)) {
            Files.writeString(file, (content.isEmpty() || content.endsWith("\n") ? "" : "\n") + line,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }
}
