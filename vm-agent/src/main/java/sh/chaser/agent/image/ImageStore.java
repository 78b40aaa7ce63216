package sh.chaser.agent.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import sh.chaser.agent.domain.AgentError;

/**
 * Root filesystems by image name. {@value #BASE} is the default image: a Debian root made with
 * debootstrap ({@code debian}), or, where that is not wanted or possible, the host's own
 * {@code /usr} mounted read-only under a small root of the agent's making ({@code host}). Any other
 * name is an OCI image reference, pulled and unpacked once per digest.
 */
public final class ImageStore {

    public static final String BASE = "base";
    private static final Map<String, String> HOST_ETC = Map.of(
            "passwd", "root:x:0:0:root:/root:/bin/bash\nuser:x:1000:1000:user:/workspace:/bin/bash\n"
                    + "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n",
            "group", "root:x:0:\nuser:x:1000:\nnogroup:x:65534:\n",
            "hosts", "127.0.0.1 localhost\n::1 localhost\n",
            "nsswitch.conf", "passwd: files\ngroup: files\nhosts: files dns\n",
            "resolv.conf", "",
            "hostname", "sandbox\n");

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(ImageStore.class);
    private final Path cache;
    private volatile String defaultImage;
    private volatile boolean defaultReady;
    private final DebianImage debian;
    private final OciImages oci;

    /** @param defaultImage {@code debian} or {@code host}: what {@value #BASE} means */
    /** The host-wide cache images are kept in (other runtimes keep what they derive from images beside them). */
    public Path cacheDir() {
        return cache;
    }

    public ImageStore(Path cache, String defaultImage, String debianMirror, Set<String> insecureRegistries) {
        this.cache = cache;
        this.defaultImage = defaultImage;
        this.debian = new DebianImage(cache, "bookworm", debianMirror);
        this.oci = new OciImages(cache, insecureRegistries);
    }

    /**
     * Makes the default image ready ahead of the first boot (minutes the first time on a host);
     * if debootstrap fails the host image stands in, with a warning.
     */
    public void prepareDefault() {
        try {
            resolve(BASE);
        } catch (RuntimeException e) {
            LOG.warnf("the Debian default image could not be prepared (%s); image base is the host's /usr for now",
                    e.getMessage());
            defaultImage = "host";
            resolve(BASE);
        }
        defaultReady = true;
    }

    public boolean defaultReady() {
        return defaultReady;
    }

    public String defaultImage() {
        return defaultImage;
    }

    public ImageRoot resolve(String name) {
        if (!BASE.equals(name)) {
            return new ImageRoot(name, oci.rootfs(name), List.of());
        }
        return switch (defaultImage) {
            case "debian" -> new ImageRoot(BASE, debian.rootfs(), List.of());
            case "host" -> new ImageRoot(BASE, hostRoot(), List.of(new ImageRoot.Bind(Path.of("/usr"), "/usr")));
            default -> throw AgentError.IMAGE_NOT_FOUND.exception("default image " + defaultImage + " is unknown");
        };
    }

    private synchronized Path hostRoot() {
        Path rootfs = cache.resolve("host/rootfs");
        if (Files.exists(rootfs.resolve(".ready"))) {
            Images.stickyTmp(rootfs);
            return rootfs;
        }
        try {
            for (String dir : List.of("usr", "etc", "proc", "dev", "tmp", "run", "workspace", "root", "home",
                    "var/tmp", "opt", "mnt")) {
                Files.createDirectories(rootfs.resolve(dir));
            }
            for (String link : List.of("bin", "sbin", "lib", "lib64", "lib32", "libx32")) {
                Path path = rootfs.resolve(link);
                if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createSymbolicLink(path, Path.of("usr/" + link));
                }
            }
            for (var file : HOST_ETC.entrySet()) {
                Files.writeString(rootfs.resolve("etc").resolve(file.getKey()), file.getValue());
            }
            Path osRelease = rootfs.resolve("etc/os-release");
            if (!Files.exists(osRelease, LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(osRelease, Path.of("../usr/lib/os-release"));
            }
            copyAlternatives(rootfs.resolve("etc/alternatives"));
            Images.stickyTmp(rootfs);
            Files.writeString(rootfs.resolve(".ready"), "");
            return rootfs;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the host image in " + rootfs, e);
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
                if (Files.isSymbolicLink(link) && !Files.exists(copy, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createSymbolicLink(copy, Files.readSymbolicLink(link));
                }
            }
        }
    }
}
