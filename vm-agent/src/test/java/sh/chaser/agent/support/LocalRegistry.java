package sh.chaser.agent.support;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * An OCI registry on loopback (Debian's docker-registry) and an image built here: bash (also as
 * sh), cat, ls and sleep with their libraries, and {@code /hello.txt}; made with umoci, pushed with skopeo.
 */
public final class LocalRegistry implements AutoCloseable {

    private final Process registry;
    private final int port;
    private final Path dir;

    public LocalRegistry() throws Exception {
        dir = Files.createDirectories(Path.of("target/registry-test", UUID.randomUUID().toString()).toAbsolutePath());
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path config = Files.writeString(dir.resolve("config.yml"), String.join("\n", "version: 0.1",
                "storage:", "  filesystem:", "    rootdirectory: " + dir.resolve("storage"),
                "http:", "  addr: 127.0.0.1:" + port, ""));
        registry = new ProcessBuilder("docker-registry", "serve", config.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("registry.log").toFile()).start();
        long deadline = System.currentTimeMillis() + 15_000;
        while (!accepts()) {
            if (System.currentTimeMillis() > deadline || !registry.isAlive()) {
                throw new IllegalStateException("docker-registry did not start; see " + dir.resolve("registry.log"));
            }
            Thread.sleep(20);
        }
    }

    public String reference(String name) {
        return "127.0.0.1:" + port + "/" + name;
    }

    /** Builds the test image and pushes it as {@code name}. */
    public String push(String name, String hello) throws Exception {
        Path layout = dir.resolve("layout");
        Path bundle = dir.resolve("bundle-" + UUID.randomUUID());
        if (!Files.exists(layout)) {
            run("umoci", "init", "--layout", layout.toString());
        }
        run("umoci", "new", "--image", layout + ":build");
        run("umoci", "unpack", "--image", layout + ":build", bundle.toString());
        Path rootfs = bundle.resolve("rootfs");
        for (String binary : List.of("/usr/bin/bash", "/usr/bin/cat", "/usr/bin/sleep", "/usr/bin/ls")) {
            copy(Path.of(binary), rootfs);
            for (String line : run("ldd", binary).lines().toList()) {
                for (String word : line.strip().split("\\s+")) {
                    if (word.startsWith("/")) {
                        copy(Path.of(word), rootfs);
                    }
                }
            }
        }
        Files.createSymbolicLink(rootfs.resolve("bin"), Path.of("usr/bin"));
        // commands run as /bin/sh -c: an image needs a shell there, as Docker's images have
        Files.createSymbolicLink(rootfs.resolve("usr/bin/sh"), Path.of("bash"));
        Files.writeString(rootfs.resolve("hello.txt"), hello);
        run("umoci", "repack", "--image", layout + ":build", bundle.toString());
        run("skopeo", "copy", "--dest-tls-verify=false", "oci:" + layout + ":build", "docker://" + reference(name));
        return reference(name);
    }

    private static void copy(Path file, Path rootfs) throws IOException {
        Path target = rootfs.resolve(file.toString().substring(1));
        Files.createDirectories(target.getParent());
        Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + ": " + output);
        }
        return output;
    }

    private boolean accepts() {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        registry.destroy();
    }
}
