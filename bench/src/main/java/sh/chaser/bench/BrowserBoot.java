package sh.chaser.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Browser sessions created through the gateway until Chromium's DevTools first answers through the
 * gateway ({@code json/version}), and the memory (PSS) of the session's processes, next to the same
 * Chromium with the same flags launched straight on the host, in one run.
 */
public final class BrowserBoot {

    private static final String HELP = """
            Usage: bench/browser-boot [--runs N]

            Needs a running platform (./chaser up, as root: it reads /proc and the sandboxes' cgroups)
            with Debian's chromium installed (./chaser up installs it); on ./chaser up --runtime qemu the
            browsers are microVMs (memory: the QEMU process in the session's cgroup).
            --runs N   browsers per side, in sequence (default 10, after 2 unmeasured)
            Prints create-to-first-CDP-answer p50/p99 through the gateway and Chromium launch-to-first-
            answer on the host, their ratio, and the median PSS per browser on both sides.
            """;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--disable-breakpad",
            "--password-store=basic", "--remote-allow-origins=*", "--remote-debugging-address=127.0.0.1");

    public static void main(String[] args) throws Exception {
        List<String> a = Arrays.asList(args);
        if (a.contains("--help") || a.contains("-h")) {
            System.out.print(HELP);
            return;
        }
        int runs = LocalInstall.option(a, "--runs", 10);
        LocalInstall local = LocalInstall.read();
        System.out.printf("gateway %s; %d browsers per side, in sequence%n", local.apiUrl(), runs);
        double[] gatewayMs = new double[runs];
        double[] gatewayMiB = new double[runs];
        double[] directMs = new double[runs];
        double[] directMiB = new double[runs];
        for (int i = -2; i < runs; i++) {
            double[] g = viaGateway(local);
            double[] d = direct();
            if (i >= 0) {
                gatewayMs[i] = g[0];
                gatewayMiB[i] = g[1];
                directMs[i] = d[0];
                directMiB[i] = d[1];
            }
        }
        double gp50 = LocalInstall.percentile(gatewayMs, 50);
        double dp50 = LocalInstall.percentile(directMs, 50);
        System.out.printf(
                "create to first CDP answer: gateway p50 %.0f ms p99 %.0f ms | Chromium on the host p50 %.0f ms"
                        + " p99 %.0f ms | ratio p50 %.2fx%n",
                gp50, LocalInstall.percentile(gatewayMs, 99), dp50,
                LocalInstall.percentile(directMs, 99), gp50 / dp50);
        System.out.printf("memory per browser (PSS, after the first answer): session %.0f MiB | host %.0f MiB%n",
                LocalInstall.percentile(gatewayMiB, 50), LocalInstall.percentile(directMiB, 50));
    }

    /** {create-to-answer ms, PSS MiB} of one ephemeral browser session; terminated afterwards. */
    private static double[] viaGateway(LocalInstall local) throws Exception {
        long start = System.nanoTime();
        var created = HTTP.send(request(local, "/v1/sessions").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"session_type\":\"browser\",\"ephemeral\":true}")).build(),
                HttpResponse.BodyHandlers.ofString());
        // 202 creating: a browser microVM under TCG outlasts session-service's boot wait; it runs later
        if (created.statusCode() != 201 && created.statusCode() != 202) {
            throw new IllegalStateException("create answered " + created.statusCode() + ": " + created.body());
        }
        String id = created.body().replaceAll("^\\{\"id\":\"([^\"]+)\".*$", "$1");
        while (HTTP.send(request(local, "/s/" + id + "/json/version").build(), HttpResponse.BodyHandlers.discarding())
                .statusCode() != 200) {
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L); // leaves the CPU to a booting VM
        }
        double millis = (System.nanoTime() - start) / 1e6;
        Path procs = Path.of("/sys/fs/cgroup/memory/chaser/local", id, "cgroup.procs");
        double mib = pssMiB(Files.exists(procs)
                ? Files.readAllLines(procs).stream().mapToLong(Long::parseLong).toArray()
                : new long[0]);
        HTTP.send(request(local, "/v1/sessions/" + id + "?force=true").DELETE().build(),
                HttpResponse.BodyHandlers.discarding());
        return new double[]{ millis, mib };
    }

    /** {launch-to-answer ms, PSS MiB} of Chromium started on the host with the same flags. */
    private static double[] direct() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path profile = Files.createTempDirectory("bench-chromium-");
        List<String> command = new ArrayList<>(List.of("/usr/lib/chromium/chromium"));
        command.addAll(FLAGS);
        command.addAll(List.of("--remote-debugging-port=" + port, "--user-data-dir=" + profile, "about:blank"));
        long start = System.nanoTime();
        Process chromium = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        var version = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/version")).build();
        while (true) {
            try {
                if (HTTP.send(version, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    break;
                }
            } catch (IOException notYet) {
                Thread.onSpinWait();
            }
        }
        double millis = (System.nanoTime() - start) / 1e6;
        long[] tree = chromium.toHandle().descendants().mapToLong(ProcessHandle::pid).toArray();
        long[] all = Arrays.copyOf(tree, tree.length + 1);
        all[tree.length] = chromium.pid();
        double mib = pssMiB(all);
        chromium.destroy();
        chromium.waitFor();
        new ProcessBuilder("rm", "-rf", profile.toString()).start().waitFor();
        return new double[]{ millis, mib };
    }

    private static double pssMiB(long[] pids) {
        long kib = 0;
        for (long pid : pids) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"))) {
                    if (line.startsWith("Pss:")) {
                        kib += Long.parseLong(line.replaceAll("\\D+", ""));
                    }
                }
            } catch (IOException gone) {
                // exited meanwhile
            }
        }
        return kib / 1024.0;
    }

    private static HttpRequest.Builder request(LocalInstall local, String path) {
        return HttpRequest.newBuilder(URI.create(local.apiUrl() + path)).header("Authorization",
                "Bearer " + local.apiKey());
    }
}
