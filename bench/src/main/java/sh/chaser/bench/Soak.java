package sh.chaser.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Many ephemeral sandbox sessions created, used (one exec, one background command with output) and
 * terminated, C at a time; then what the host holds is compared with before (HostResources):
 * anything left over is a leak. Create latency of the first and the last 100 side by side: drift.
 */
public final class Soak {

    private static final String HELP = """
            Usage: bench/soak [--sessions N] [--concurrency C] [--settle-seconds S]

            Needs root and a running platform with room for C sandboxes and raised rate limits, e.g.
              ./chaser down; CHASER_AGENT_SANDBOXES_MAX=64 CHASER_RATE_LIMIT_PRINCIPAL_PER_MINUTE=100000000 \\
                CHASER_RATE_LIMIT_ACCOUNT_PER_MINUTE=100000000 ./chaser up
            --sessions N        sessions created and terminated (default 1000)
            --concurrency C     in flight at once (default 20)
            --settle-seconds S  how long teardown may take after the last terminate (default 120)
            Each session: create (timed), exec, a background command, terminate. Prints create p50/p99
            of the first and the last 100 and every host resource before and after; exits 1 on a leak.
            """;

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public static void main(String[] args) throws Exception {
        List<String> a = Arrays.asList(args);
        if (a.contains("--help") || a.contains("-h")) {
            System.out.print(HELP);
            return;
        }
        int sessions = LocalInstall.option(a, "--sessions", 1000);
        int concurrency = LocalInstall.option(a, "--concurrency", 20);
        int settle = LocalInstall.option(a, "--settle-seconds", 120);
        LocalInstall local = LocalInstall.read();
        HostResources host = new HostResources(local.home().resolve("agent"));
        Map<String, Long> before = host.count();
        System.out.printf("gateway %s: %d sessions, %d at a time; before: %s%n", local.apiUrl(), sessions,
                concurrency, before);

        double[] create = new double[sessions];
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        List<Future<?>> done = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < sessions; i++) {
            int n = i;
            done.add(pool.submit(() -> {
                create[n] = once(local);
                return null;
            }));
        }
        int failed = 0;
        for (int i = 0; i < sessions; i++) {
            try {
                done.get(i).get();
            } catch (java.util.concurrent.ExecutionException e) {
                failed++;
                System.out.printf("session %d failed: %s%n", i, e.getCause().getMessage());
            }
            if ((i + 1) % 100 == 0) {
                System.out.printf("  %d/%d done (%.0f s)%n", i + 1, sessions, (System.nanoTime() - started) / 1e9);
            }
        }
        pool.shutdown();

        Map<String, Long> after = host.settled(before, settle);
        int window = Math.min(100, sessions);
        double[] first = Arrays.copyOfRange(create, 0, window);
        double[] last = Arrays.copyOfRange(create, sessions - window, sessions);
        System.out.printf("create p50/p99: first %d %.1f / %.1f ms, last %d %.1f / %.1f ms; %d failed%n", window,
                LocalInstall.percentile(first, 50), LocalInstall.percentile(first, 99), window,
                LocalInstall.percentile(last, 50), LocalInstall.percentile(last, 99), failed);
        boolean leaked = false;
        for (var entry : before.entrySet()) {
            long then = after.getOrDefault(entry.getKey(), 0L);
            boolean grew = then > entry.getValue();
            leaked |= grew;
            System.out.printf("  %-28s before %6d  after %6d%s%n", entry.getKey(), entry.getValue(), then,
                    grew ? "  LEAK" : "");
        }
        System.out.println(leaked ? "leaks found" : "no leaks");
        System.exit(leaked || failed > 0 ? 1 : 0);
    }

    /** One session's life; its create-to-running time in ms. */
    private static double once(LocalInstall local) throws Exception {
        long start = System.nanoTime();
        var created = send(local, "POST", "/v1/sessions", "{\"session_type\":\"sandbox\",\"ephemeral\":true}");
        double millis = (System.nanoTime() - start) / 1e6;
        if (created.statusCode() != 201 || !created.body().contains("\"status\":\"running\"")) {
            throw new IllegalStateException("create answered " + created.statusCode() + ": " + created.body());
        }
        String id = created.body().replaceAll("^\\{\"id\":\"([^\"]+)\".*$", "$1");
        var exec = send(local, "POST", "/v1/sessions/" + id + "/exec", "{\"command\":\"echo hi > /tmp/soak\"}");
        var background = send(local, "POST", "/v1/sessions/" + id + "/exec",
                "{\"command\":\"seq 1 1000; sleep 30\",\"background\":true}");
        var end = send(local, "DELETE", "/v1/sessions/" + id + "?force=true", null);
        if (exec.statusCode() != 200 || background.statusCode() != 200 || end.statusCode() != 200) {
            throw new IllegalStateException("session " + id + ": exec " + exec.statusCode() + ", background "
                    + background.statusCode() + ", terminate " + end.statusCode() + " " + end.body());
        }
        return millis;
    }

    private static HttpResponse<String> send(LocalInstall local, String method, String path, String body)
            throws Exception {
        var request = HttpRequest.newBuilder(URI.create(local.apiUrl() + path))
                .header("Authorization", "Bearer " + local.apiKey())
                .timeout(java.time.Duration.ofSeconds(120));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return HTTP.send(request.method(method, body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
