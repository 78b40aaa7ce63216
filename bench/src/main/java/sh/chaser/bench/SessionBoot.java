package sh.chaser.bench;

import io.grpc.ManagedChannel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import sh.chaser.contracts.InternalCallers;
import sh.chaser.proto.vmagent.v1.BootRequest;
import sh.chaser.proto.vmagent.v1.DestroyRequest;
import sh.chaser.proto.vmagent.v1.VmAgentGrpc;

/**
 * Ephemeral sandbox sessions created (and terminated) through the gateway, next to the same
 * sandboxes booted straight through the vm-agent, in one run: create-to-running p50/p99 of both, in
 * sequence and 20 at a time, and the control plane's overhead (the difference).
 */
public final class SessionBoot {

    private static final String HELP = """
            Usage: bench/session-boot [--runs N] [--concurrency C] [--warmup N]

            Needs a running platform (./chaser up) with rate limits that do not throttle the run and
            room for C sandboxes at once, e.g.
              ./chaser down; CHASER_AGENT_SANDBOXES_MAX=64 CHASER_RATE_LIMIT_PRINCIPAL_PER_MINUTE=100000000 \\
                CHASER_RATE_LIMIT_ACCOUNT_PER_MINUTE=100000000 ./chaser up
            --runs N         sessions per phase and side (default 100)
            --concurrency C  parallel creates in the second phase (default 20)
            --warmup N       unmeasured sessions per side first (default 10)
            Prints create-to-running p50/p99 through the gateway (POST /v1/sessions until it answers
            running) and straight through the vm-agent (Boot), and the control plane's overhead.
            """;

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public static void main(String[] args) throws Exception {
        List<String> a = Arrays.asList(args);
        if (a.contains("--help") || a.contains("-h")) {
            System.out.print(HELP);
            return;
        }
        int runs = LocalInstall.option(a, "--runs", 100);
        int concurrency = LocalInstall.option(a, "--concurrency", 20);
        int warmup = LocalInstall.option(a, "--warmup", 10);
        LocalInstall local = LocalInstall.read();
        ManagedChannel channel = local.agentChannel(InternalCallers.SESSION);
        var agent = VmAgentGrpc.newBlockingStub(channel);
        System.out.printf("gateway %s, vm-agent 127.0.0.1:%d; %d sessions per phase, warm-up %d%n", local.apiUrl(),
                local.agentPort(), runs, warmup);

        IntFunction<Double> viaGateway = i -> gateway(local);
        IntFunction<Double> viaAgent = i -> direct(agent);
        measure(viaGateway, warmup, 1);
        measure(viaAgent, warmup, 1);
        double[] gw1 = measure(viaGateway, runs, 1);
        double[] ag1 = measure(viaAgent, runs, 1);
        double[] gwN = measure(viaGateway, runs, concurrency);
        double[] agN = measure(viaAgent, runs, concurrency);
        report("in sequence", gw1, ag1);
        report(concurrency + " at a time", gwN, agN);
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private static void report(String phase, double[] gateway, double[] agent) {
        double gp50 = LocalInstall.percentile(gateway, 50);
        double ap50 = LocalInstall.percentile(agent, 50);
        System.out.printf(
                "%s: gateway create-to-running p50 %.1f ms p99 %.1f ms | vm-agent Boot p50 %.1f ms p99 %.1f ms"
                        + " | control-plane overhead p50 %.1f ms, p99 %.1f ms%n",
                phase, gp50, LocalInstall.percentile(gateway, 99),
                ap50, LocalInstall.percentile(agent, 99), gp50 - ap50,
                LocalInstall.percentile(gateway, 99) - LocalInstall.percentile(agent, 99));
    }

    private static double[] measure(IntFunction<Double> one, int runs, int concurrency) throws Exception {
        double[] millis = new double[runs];
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<Double>> futures = new java.util.ArrayList<>();
            for (int i = 0; i < runs; i++) {
                int n = i;
                futures.add(pool.submit(() -> one.apply(n)));
            }
            for (int i = 0; i < runs; i++) {
                millis[i] = futures.get(i).get();
            }
        } finally {
            pool.shutdown();
        }
        return millis;
    }

    /** POST /v1/sessions until the answer (running); then DELETE, not timed. */
    private static double gateway(LocalInstall local) {
        try {
            long start = System.nanoTime();
            var created = HTTP.send(request(local, "/v1/sessions").POST(HttpRequest.BodyPublishers.ofString(
                    "{\"session_type\":\"sandbox\",\"ephemeral\":true}")).header("Content-Type", "application/json")
                    .build(),
                    HttpResponse.BodyHandlers.ofString());
            double millis = (System.nanoTime() - start) / 1e6;
            if (created.statusCode() != 201 || !created.body().contains("\"status\":\"running\"")) {
                throw new IllegalStateException("create answered " + created.statusCode() + ": " + created.body());
            }
            String id = created.body().replaceAll("^\\{\"id\":\"([^\"]+)\".*$", "$1");
            HTTP.send(request(local, "/v1/sessions/" + id).DELETE().build(), HttpResponse.BodyHandlers.discarding());
            return millis;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static double direct(VmAgentGrpc.VmAgentBlockingStub agent) {
        String id = UUID.randomUUID().toString();
        long start = System.nanoTime();
        agent.withDeadlineAfter(60, TimeUnit.SECONDS).boot(BootRequest.newBuilder().setSessionId(id)
                .setSessionType("sandbox").build());
        double millis = (System.nanoTime() - start) / 1e6;
        agent.withDeadlineAfter(60, TimeUnit.SECONDS).destroy(DestroyRequest.newBuilder().setSessionId(id).build());
        return millis;
    }

    private static HttpRequest.Builder request(LocalInstall local, String path) {
        return HttpRequest.newBuilder(URI.create(local.apiUrl() + path)).header("Authorization",
                "Bearer " + local.apiKey());
    }
}
