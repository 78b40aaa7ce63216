package sh.chaser.agent.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import sh.chaser.agent.domain.AgentError;

/**
 * Root filesystems by image name. Today one image exists, {@value #BASE}: the host's own {@code /usr}
 * (Debian's merged /usr holds every program and library) mounted read-only under a small
 * {@code /} of the agent's making, with its own {@code /etc} (users, hosts, the host's
 * alternatives links) and nothing else of the host. Pulled OCI images come with the disks issue.
 */
public final class ImageStore {

    public static final String BASE = "base";
    private static final Map<String, String> BASE_ETC = Map.of(
            "passwd", "root:x:0:0:root:/root:/bin/bash\nuser:x:1000:1000:user:/workspace:/bin/bash\n"
                    + "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n",
            "group", "root:x:0:\nuser:x:1000:\nnogroup:x:65534:\n",
            "hosts", "127.0.0.1 localhost\n::1 localhost\n",
            "nsswitch.conf", "passwd: files\ngroup: files\nhosts: files dns\n",
            "resolv.conf", "",
            "hostname", "sandbox\n");

    private final Path imagesDir;

    public ImageStore(Path imagesDir) {
        this.imagesDir = imagesDir;
    }

    public ImageRoot resolve(String name) {
        if (!BASE.equals(name)) {
            throw AgentError.IMAGE_NOT_FOUND.exception("image " + name + " is not available on this host");
        }
        Path rootfs = imagesDir.resolve(BASE).resolve("rootfs");
        if (!Files.exists(rootfs.resolve(".ready"))) {
            prepareBase(rootfs);
        }
        return new ImageRoot(BASE, rootfs, List.of(new ImageRoot.Bind(Path.of("/usr"), "/usr")));
    }

    private static synchronized void prepareBase(Path rootfs) {
        try {
            if (Files.exists(rootfs.resolve(".ready"))) {
                return;
            }
            for (String dir : List.of("usr", "etc", "proc", "dev", "tmp", "run", "workspace", "root", "home",
                    "var/tmp", "opt", "mnt")) {
                Files.createDirectories(rootfs.resolve(dir));
            }
            for (String link : List.of("bin", "sbin", "lib", "lib64", "lib32", "libx32")) {
                Path path = rootfs.resolve(link);
                if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.createSymbolicLink(path, Path.of("usr/" + link));
                }
            }
            for (var file : BASE_ETC.entrySet()) {
                Files.writeString(rootfs.resolve("etc").resolve(file.getKey()), file.getValue());
            }
            Path osRelease = rootfs.resolve("etc/os-release");
            if (!Files.exists(osRelease, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(osRelease, Path.of("../usr/lib/os-release"));
            }
            copyAlternatives(rootfs.resolve("etc/alternatives"));
            Files.writeString(rootfs.resolve(".ready"), "");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare image " + BASE + " in " + rootfs, e);
        }
    }

    /** Debian's /usr/bin holds links into /etc/alternatives (awk, editor, ...): the same links here. */
    private static void copyAlternatives(Path target) throws IOException {
        Files.createDirectories(target);
        Path source = Path.of("/etc/alternatives");
        if (!Files.isDirectory(source)) {
            return;
        }
        try (DirectoryStream<Path> links = Files.newDirectoryStream(source)) {
            for (Path link : links) {
                Path copy = target.resolve(link.getFileName().toString());
                if (Files.isSymbolicLink(link) && !Files.exists(copy, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.createSymbolicLink(copy, Files.readSymbolicLink(link));
                }
            }
        }
    }
}
