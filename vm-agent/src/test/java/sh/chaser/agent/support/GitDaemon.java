package sh.chaser.agent.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import sh.chaser.testhost.HostTools;

/**
 * A git server on loopback ({@code git daemon}) holding {@code acme/hello}: README on main, a
 * second commit on branch {@code feature}, tag {@code v1} on the first commit.
 */
public class GitDaemon implements QuarkusTestResourceLifecycleManager {

    private Process daemon;

    @Override
    public Map<String, String> start() {
        if (!HostTools.missing(List.of("git")).isEmpty()) {
            // the tests' own check (@SandboxHost) says what is missing in one line; an exception here would
            // stop the application with a stack trace before it could
            return Map.of("chaser.agent.git.base-url", "git://127.0.0.1:1");
        }
        try {
            Path base = Files
                    .createDirectories(Path.of("target/git-served", UUID.randomUUID().toString()).toAbsolutePath());
            Path work = Files.createDirectories(base.resolve("work"));
            git(work, "init", "-q", "-b", "main");
            Files.writeString(work.resolve("README"), "hello from acme\n");
            git(work, "add", "README");
            git(work, "commit", "-q", "-m", "first");
            git(work, "tag", "v1");
            git(work, "checkout", "-q", "-b", "feature");
            Files.writeString(work.resolve("FEATURE"), "feature work\n");
            git(work, "add", "FEATURE");
            git(work, "commit", "-q", "-m", "second");
            git(work, "checkout", "-q", "main");
            Files.createDirectories(base.resolve("acme"));
            git(base, "clone", "-q", "--bare", work.toString(), base.resolve("acme/hello").toString());
            int port;
            try (var socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            daemon = new ProcessBuilder("git", "daemon", "--reuseaddr", "--listen=127.0.0.1", "--port=" + port,
                    "--base-path=" + base, "--export-all", base.toString())
                    .redirectErrorStream(true).redirectOutput(base.resolve("daemon.log").toFile()).start();
            long deadline = System.currentTimeMillis() + 10_000;
            while (!accepts(port)) {
                if (System.currentTimeMillis() > deadline || !daemon.isAlive()) {
                    throw new IllegalStateException("git daemon did not start; see " + base.resolve("daemon.log"));
                }
                Thread.sleep(20);
            }
            return Map.of("chaser.agent.git.base-url", "git://127.0.0.1:" + port);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean accepts(int port) {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void git(Path dir, String... args) throws IOException, InterruptedException {
        var command = new java.util.ArrayList<>(
                List.of("git", "-c", "user.email=test@chaser.local", "-c", "user.name=test"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException("git " + String.join(" ", args) + ": " + output);
        }
    }

    @Override
    public void stop() {
        if (daemon != null) {
            daemon.destroy();
        }
    }
}
