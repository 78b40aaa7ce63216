package sh.chaser.bench;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import sh.chaser.contracts.DataPlaneContract;
import sh.chaser.contracts.InternalCallers;

/**
 * A running workspace sandbox's data plane through the gateway, each next to its baseline: exec of
 * {@code true} (vs. the old path through session-service and the vm-agent's Exec straight over gRPC), upload and download of 16 MiB (vs. the
 * vm-agent's data plane without the gateway, and a plain loopback TCP copy), PTY keystroke echo.
 */
public final class DataPlaneBench {

    private static final String HELP = """
            Usage: bench/data-plane [--runs N] [--warmup S] [--transfers N] [--keys N]

            Needs a running platform (./chaser up) with rate limits that do not throttle the run, e.g.
              ./chaser down; CHASER_RATE_LIMIT_PRINCIPAL_PER_MINUTE=100000000 \\
                CHASER_RATE_LIMIT_ACCOUNT_PER_MINUTE=100000000 ./chaser up
            Run as root (the floor, the guest agent inside the sandbox, is called with its token from the
            agent's data directory).
            --runs N       exec round trips per side (default 300)
            --warmup S     seconds of exec calls before measuring, so every service's JIT has compiled
                           the path (default 20)
            --transfers N  16 MiB uploads and downloads per path (default 10)
            --keys N       keystrokes typed into a PTY (default 300)
            Prints p50/p99 of exec (gateway vs. the guest agent called directly vs. the old path) and
            PTY echo, and MiB/s of transfers. Creates a workspace and its session, deletes both at the end.
            """;
    private static final int SIZE = 16 * 1024 * 1024;
    private static final String TRUE = "{\"command\":\"true\"}";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public static void main(String[] args) throws Exception {
        List<String> a = Arrays.asList(args);
        if (a.contains("--help") || a.contains("-h")) {
            System.out.print(HELP);
            return;
        }
        int runs = LocalInstall.option(a, "--runs", 300);
        int transfers = LocalInstall.option(a, "--transfers", 10);
        int keys = LocalInstall.option(a, "--keys", 300);
        int warmup = LocalInstall.option(a, "--warmup", 20);
        LocalInstall local = LocalInstall.read();
        String workspace = "bench-data-plane-" + System.currentTimeMillis();
        String id = create(local, workspace);
        try {
            System.out.printf("sandbox %s through %s; vm-agent 127.0.0.1:%d%n", id, local.apiUrl(), local.agentPort());
            exec(local, id, workspace, runs, warmup);
            transfers(local, id, transfers);
            ptyEcho(local, id, keys);
        } finally {
            HTTP.send(request(local, "/v1/sessions/" + id + "?force=true").DELETE().build(),
                    HttpResponse.BodyHandlers.discarding());
            HTTP.send(request(local, "/v1/workspaces/" + workspace + "?force=true").DELETE().build(),
                    HttpResponse.BodyHandlers.discarding());
        }
    }

    /**
     * Three ways to run {@code true} in the same sandbox, each from a lean keep-alive client (one write
     * per request, as curl; the JDK's client adds milliseconds of its own per call): the data plane
     * (gateway to the vm-agent) interleaved with the floor, the guest agent inside the sandbox called
     * directly; then, apart, the old path every exec took before (the gateway to session-service's
     * {@code POST /v1/exec} on the workspace, which finds its running session, takes a lease, calls
     * the agent's gRPC Exec and writes the audit record in its transaction). Apart, because each old
     * call leaves Kafka events behind that the next calls would share the 2 cores with.
     */
    private static void exec(LocalInstall local, String id, String workspace, int runs, int warmupSeconds)
            throws Exception {
        SandboxGuest guest = SandboxGuest.of(local, id);
        Map<String, String> asCaller = Map.of("Authorization", "Bearer " + local.apiKey(), "Content-Type",
                "application/json");
        Map<String, String> asHost = Map.of("Authorization", "Bearer " + guest.token());
        double[] gateway = new double[runs];
        double[] floor = new double[runs];
        double[] old = new double[runs];
        try (KeepAliveClient api = new KeepAliveClient(local.apiUrl());
                KeepAliveClient inside = new KeepAliveClient(guest.baseUrl())) {
            // a platform that has served a while: every service's JIT has compiled the path
            long warm = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmupSeconds);
            int warmed = 0;
            for (; System.nanoTime() < warm || warmed < 30; warmed++) {
                ran(api.post("/s/" + id + "/exec", asCaller, TRUE));
                ran(inside.post("/v1/exec", asHost, TRUE));
            }
            System.out.printf("warm-up: %d exec calls each way in %d s%n", warmed, warmupSeconds);
            for (int i = 0; i < runs; i++) {
                gateway[i] = timed(() -> api.post("/s/" + id + "/exec", asCaller, TRUE));
                floor[i] = timed(() -> inside.post("/v1/exec", asHost, TRUE));
            }
            String oldBody = "{\"workspace\":\"" + workspace + "\",\"command\":\"true\"}";
            for (int i = -30; i < runs; i++) {
                double ms = timed(() -> api.post("/v1/exec", asCaller, oldBody));
                if (i >= 0) {
                    old[i] = ms;
                }
            }
        }
        System.out.printf("exec true: gateway p50 %.2f ms p99 %.2f ms | floor (guest agent called directly) p50 %.2f ms"
                + " p99 %.2f ms | old path (/v1/exec via session-service) p50 %.2f ms p99 %.2f ms (%d runs)%n",
                LocalInstall.percentile(gateway, 50), LocalInstall.percentile(gateway, 99),
                LocalInstall.percentile(floor, 50), LocalInstall.percentile(floor, 99),
                LocalInstall.percentile(old, 50), LocalInstall.percentile(old, 99), runs);
    }

    @FunctionalInterface
    private interface Call {

        KeepAliveClient.Answer run() throws Exception;
    }

    private static double timed(Call call) throws Exception {
        long start = System.nanoTime();
        KeepAliveClient.Answer answer = call.run();
        double ms = (System.nanoTime() - start) / 1e6;
        ran(answer);
        return ms;
    }

    private static void ran(KeepAliveClient.Answer answer) {
        if (answer.status() != 200 || !answer.body().contains("\"exit_code\":0")) {
            throw new IllegalStateException("exec answered " + answer.status() + ": " + answer.body());
        }
    }

    private static void transfers(LocalInstall local, String id, int n) throws Exception {
        byte[] data = new byte[SIZE];
        new java.util.Random(7).nextBytes(data);
        String boundary = "chaser-bench-boundary";
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"path\"\r\n\r\nbench.bin\r\n--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bench.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] multipart = new byte[head.length + SIZE + tail.length];
        System.arraycopy(head, 0, multipart, 0, head.length);
        System.arraycopy(data, 0, multipart, head.length, SIZE);
        System.arraycopy(tail, 0, multipart, head.length + SIZE, tail.length);
        String agentBase = "/internal/v1/sessions/" + id;
        // straight to the agent as the gateway: its certificate (mutual TLS) and the session token it puts on
        SessionTokenMinter tokens = new SessionTokenMinter(local.home());
        String[] names = { "gateway", "vm-agent" };
        for (String name : names) {
            boolean direct = name.equals("vm-agent");
            String base = direct ? agentBase : "/s/" + id;
            double[] up = new double[n];
            double[] raw = new double[n];
            double[] down = new double[n];
            try (KeepAliveClient http = direct
                    ? new KeepAliveClient("https://127.0.0.1:" + local.agentPort(),
                            local.sslContext(InternalCallers.GATEWAY))
                    : new KeepAliveClient(local.apiUrl())) {
                for (int i = 0; i < n; i++) {
                    long start = System.nanoTime();
                    var r = http.send("POST", base + "/upload", headers(local, tokens, direct, id, "upload",
                            "multipart/form-data; boundary=" + boundary), multipart);
                    up[i] = mibPerSecond(start);
                    check("upload", r);
                    start = System.nanoTime();
                    r = http.send("PUT", base + "/upload?path=bench-raw.bin",
                            headers(local, tokens, direct, id, "upload", "application/octet-stream"), data);
                    raw[i] = mibPerSecond(start);
                    check("raw upload", r);
                    start = System.nanoTime();
                    r = http.get(base + "/download?path=bench.bin",
                            headers(local, tokens, direct, id, "download", null));
                    down[i] = mibPerSecond(start);
                    check("download", r);
                    if (r.length() != SIZE) {
                        throw new IllegalStateException("download returned " + r.length() + " bytes");
                    }
                }
            }
            System.out.printf(
                    "16 MiB via %s: upload multipart p50 %.0f MiB/s | upload raw p50 %.0f MiB/s | download p50 %.0f MiB/s"
                            + " (%d each)%n",
                    name, LocalInstall.percentile(up, 50), LocalInstall.percentile(raw, 50),
                    LocalInstall.percentile(down, 50), n);
        }
        double[] loop = new double[n];
        for (int i = 0; i < n; i++) {
            loop[i] = loopbackCopy(data);
        }
        System.out.printf("16 MiB loopback TCP copy: p50 %.0f MiB/s%n", LocalInstall.percentile(loop, 50));
    }

    private static double loopbackCopy(byte[] data) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            CompletableFuture<Long> received = CompletableFuture.supplyAsync(() -> {
                try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                    return in.transferTo(OutputStream.nullOutputStream());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long start = System.nanoTime();
            try (Socket s = new Socket(server.getInetAddress(), server.getLocalPort());
                    OutputStream out = s.getOutputStream()) {
                out.write(data);
            }
            received.get(30, TimeUnit.SECONDS);
            return mibPerSecond(start);
        }
    }

    private static Map<String, String> headers(LocalInstall local, SessionTokenMinter tokens, boolean direct,
            String id, String operation, String contentType) throws Exception {
        Map<String, String> headers = new java.util.HashMap<>();
        headers.put("Authorization", "Bearer " + local.apiKey());
        if (direct) {
            headers.put(DataPlaneContract.SESSION_TOKEN_HEADER, tokens.mint(id, operation));
        }
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        return headers;
    }

    private static void check(String what, KeepAliveClient.Answer answer) {
        if (answer.status() != 200) {
            throw new IllegalStateException(what + " answered " + answer.status() + ": " + answer.body());
        }
    }

    private static double mibPerSecond(long start) {
        return SIZE / 1048576.0 / ((System.nanoTime() - start) / 1e9);
    }

    /** Types one key at a time into a shell and waits for its echo. */
    private static void ptyEcho(LocalInstall local, String id, int keys) throws Exception {
        var received = new LinkedBlockingQueue<String>();
        WebSocket socket = HTTP.newWebSocketBuilder().header("Authorization", "Bearer " + local.apiKey())
                .buildAsync(
                        URI.create(
                                local.apiUrl().replaceFirst("^http", "ws") + "/s/" + id + "/pty?mode=exec&command=cat"),
                        new WebSocket.Listener() {

                            @Override
                            public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
                                received.add(StandardCharsets.UTF_8.decode(data).toString());
                                ws.request(1);
                                return null;
                            }
                        })
                .get(30, TimeUnit.SECONDS);
        double[] millis = new double[keys];
        for (int i = -20; i < keys; i++) {
            String key = Character.toString('a' + Math.floorMod(i, 26));
            long start = System.nanoTime();
            socket.sendBinary(ByteBuffer.wrap(key.getBytes(StandardCharsets.UTF_8)), true).join();
            String echoed = "";
            while (!echoed.contains(key)) {
                String next = received.poll(10, TimeUnit.SECONDS);
                if (next == null) {
                    throw new IllegalStateException("no echo of " + key);
                }
                echoed += next;
            }
            if (i >= 0) {
                millis[i] = (System.nanoTime() - start) / 1e6;
            }
        }
        socket.abort();
        System.out.printf("PTY keystroke echo (cat on the terminal): p50 %.2f ms p99 %.2f ms (%d keys)%n",
                LocalInstall.percentile(millis, 50), LocalInstall.percentile(millis, 99), keys);
    }

    /** A workspace and its running sandbox session (the old exec path runs in a workspace's session). */
    private static String create(LocalInstall local, String workspace) throws Exception {
        post(local, "/v1/workspaces", "{\"session_type\":\"sandbox\",\"name\":\"" + workspace + "\"}");
        String created = post(local, "/v1/sessions",
                "{\"session_type\":\"sandbox\",\"workspace\":\"" + workspace + "\"}");
        return created.replaceAll("^\\{\"id\":\"([^\"]+)\".*$", "$1");
    }

    private static String post(LocalInstall local, String path, String body) throws Exception {
        var created = HTTP.send(request(local, path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            throw new IllegalStateException(path + " answered " + created.statusCode() + ": " + created.body());
        }
        return created.body();
    }

    private static HttpRequest.Builder request(LocalInstall local, String path) {
        return HttpRequest.newBuilder(URI.create(local.apiUrl() + path)).header("Authorization",
                "Bearer " + local.apiKey());
    }
}
