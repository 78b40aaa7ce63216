package sh.chaser.e2e;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Git server on loopback ({@code git daemon}) standing in for GitHub: it serves {@code owner/repo}
 * (the seed's example) with a README and a {@code src/main.py}. The platform's git base URL points here.
 */
final class LoopbackGit {

    static final String README = "# owner/repo\nserved by the e2e suite's git daemon\n";

    private final Path base;
    private final int port;
    private Process daemon;
    final String baseUrl;

    private LoopbackGit(Path base, int port) throws IOException {
        this.base = base;
        this.port = port;
        this.baseUrl = "git://127.0.0.1:" + port;
        this.daemon = serve();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> daemon.destroy()));
    }

    static LoopbackGit start() throws Exception {
        Path base = Files.createTempDirectory("chaser-e2e-git-");
        Path work = Files.createDirectories(base.resolve("work"));
        git(work, "init", "-q", "-b", "main");
        Files.writeString(work.resolve("README.md"), README);
        Files.createDirectories(work.resolve("src"));
        Files.writeString(work.resolve("src/main.py"), "print('hello')\n");
        git(work, "add", ".");
        git(work, "commit", "-q", "-m", "first");
        Files.createDirectories(base.resolve("owner"));
        git(base, "clone", "-q", "--bare", work.toString(), base.resolve("owner/repo").toString());
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        return new LoopbackGit(base, port);
    }

    private Process serve() throws IOException {
        Process started = new ProcessBuilder("git", "daemon", "--reuseaddr", "--listen=127.0.0.1", "--port=" + port,
                "--base-path=" + base, "--export-all", base.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(base.resolve("daemon.log").toFile()))
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!accepts(port)) {
            if (System.nanoTime() > deadline || !started.isAlive()) {
                throw new IllegalStateException("git daemon did not start; see " + base.resolve("daemon.log"));
            }
            Thread.onSpinWait();
        }
        return started;
    }

    /** Runs {@code work} while nothing listens on the server's port (connections are refused), then serves again. */
    synchronized void whileDown(ThrowingRunnable work) throws Exception {
        daemon.destroy();
        if (!daemon.waitFor(10, TimeUnit.SECONDS) || accepts(port)) {
            throw new IllegalStateException("git daemon did not stop");
        }
        try {
            work.run();
        } finally {
            daemon = serve();
        }
    }

    interface ThrowingRunnable {

        void run() throws Exception;
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
        List<String> command = new ArrayList<>(
                List.of("git", "-c", "user.email=e2e@chaser.local", "-c", "user.name=e2e"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("git " + String.join(" ", args) + ": " + output);
        }
    }

    boolean alive() {
        return daemon.isAlive();
    }
}
