package sh.chaser.agent.runtime.namespace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import sh.chaser.agent.image.ImageRoot;

/**
 * What a browser session runs as its init: headless Chromium (Debian's {@code chromium}, from the
 * host's {@code /usr}, mounted read-only over the image's) with remote debugging on
 * {@value #DEBUGGING_PORT} of the sandbox's own loopback, reached from outside only through the
 * session's control endpoint. The profile lives on the workspace ({@code /workspace/.chromium}), so
 * a workspace-backed browser keeps cookies and storage; an ephemeral one's scratch space dies with
 * it. Chromium is the init: when it dies, the session ends ({@code vm_exited}).
 */
public final class BrowserInit {

    public static final int DEBUGGING_PORT = sh.chaser.contracts.DataPlaneContract.DEVTOOLS_PORT;
    public static final String PROFILE = "/workspace/.chromium";
    /** The name the kernel shows for the running browser (what the boot waits for). */
    public static final String COMM = "chromium";
    static final Path CHROMIUM = Path.of("/usr/lib/chromium/chromium");

    private BrowserInit() {}

    /** Waits until DevTools accepts connections at {@code address} (the session is running only then). */
    public static boolean awaitDevTools(String address, long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            try (java.net.Socket socket = new java.net.Socket()) {
                socket.connect(new java.net.InetSocketAddress(address, DEBUGGING_PORT), 500);
                return true;
            } catch (java.io.IOException notYet) {
                java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L);
            }
        }
        return false;
    }

    /**
     * Asks Chromium to close over DevTools ({@code Browser.close}): unlike a signal, that writes the
     * profile (cookies, storage) before it exits. Best effort: false when the browser did not answer.
     */
    public static boolean closeGracefully(String address) {
        var http = java.net.http.HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(2)).build();
        try {
            String version = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    "http://" + address + ":" + DEBUGGING_PORT + "/json/version"))
                    .timeout(java.time.Duration.ofSeconds(2)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            var m = java.util.regex.Pattern.compile("ws://[^/\"]+(/devtools/browser/[^\"]+)").matcher(version);
            if (!m.find()) {
                return false;
            }
            var socket = http.newWebSocketBuilder().connectTimeout(java.time.Duration.ofSeconds(2))
                    .buildAsync(java.net.URI.create("ws://" + address + ":" + DEBUGGING_PORT + m.group(1)),
                            new java.net.http.WebSocket.Listener() {
                            })
                    .get(3, java.util.concurrent.TimeUnit.SECONDS);
            socket.sendText("{\"id\":1,\"method\":\"Browser.close\"}", true).get(2,
                    java.util.concurrent.TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    public static boolean installed() {
        return Files.isExecutable(CHROMIUM);
    }

    /** The image with the host's /usr (where Chromium is installed) and font configuration over it. */
    static ImageRoot image(ImageRoot base) {
        List<ImageRoot.Bind> binds = new ArrayList<>(base.readOnlyBinds());
        if (binds.stream().noneMatch(b -> b.target().equals("/usr"))) {
            binds.add(new ImageRoot.Bind(Path.of("/usr"), "/usr"));
        }
        if (Files.isDirectory(Path.of("/etc/fonts"))) {
            // images made before browsers existed lack the mount point
            sh.chaser.agent.host.Files2.createDirectories(base.rootfs().resolve("etc/fonts"));
            binds.add(new ImageRoot.Bind(Path.of("/etc/fonts"), "/etc/fonts"));
        }
        return new ImageRoot(base.name(), base.rootfs(), binds);
    }

    /**
     * The init command. A profile left by a session on another "computer" (every session has its own
     * hostname) holds Singleton* locks that would stop Chromium: they are removed first.
     */
    static List<String> command() {
        return List.of("/bin/sh", "-c", shell("127.0.0.1"));
    }

    /** The same as one shell command, DevTools listening on {@code debuggingAddress} (a microVM's own address). */
    public static String shell(String debuggingAddress) {
        return "mkdir -p " + PROFILE + " && rm -f " + PROFILE + "/Singleton* && exec "
                + CHROMIUM + " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run"
                + " --no-default-browser-check --disable-background-networking --disable-component-update"
                + " --disable-sync --disable-dev-shm-usage --disable-breakpad --password-store=basic"
                // only the gateway reaches this port (authenticated), whatever Origin its WebSocket client sends
                + " --remote-allow-origins=*"
                + " --remote-debugging-address=" + debuggingAddress + " --remote-debugging-port=" + DEBUGGING_PORT
                + " --user-data-dir=" + PROFILE + " about:blank";
    }
}
