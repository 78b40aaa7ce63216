package sh.chaser.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import sh.chaser.contracts.InternalCallers;
import sh.chaser.proto.vmagent.v1.ExecRequest;
import sh.chaser.proto.vmagent.v1.VmAgentGrpc;

/**
 * {@code exec true} in one session, one at a time, at each depth: through the gateway (the public
 * API, over HTTP/1.1 and h2c), the vm-agent's data plane as the gateway calls it (mutual TLS and a
 * session token), the vm-agent's gRPC {@code Exec} (what session-service's {@code /v1/exec} calls),
 * and the guest agent inside the sandbox or VM called directly over HTTP with its token (the floor). Runs on whatever
 * runtime the platform's vm-agent runs.
 */
public final class ExecLatency {

    private static final String HELP = """
            Usage: bench/exec-latency [--runs N]

            Needs a running platform: ./chaser up (namespace or, with --runtime qemu, microVMs).
            Run as root (the guest's token is read from the agent's data directory).
            --runs N   calls per depth (default 200), after 20 of warm-up
            Prints p50/p99 of exec `true` through the gateway, the agent's data plane, its gRPC Exec and
            the guest agent (the floor).
            """;

    public static void main(String[] args) throws Exception {
        List<String> a = Arrays.asList(args);
        if (a.contains("--help") || a.contains("-h")) {
            System.out.print(HELP);
            return;
        }
        int runs = LocalInstall.option(a, "--runs", 200);
        LocalInstall local = LocalInstall.read();
        HttpClient http = HttpClient.newHttpClient();
        String auth = "Bearer " + local.apiKey();
        var created = http.send(
                HttpRequest.newBuilder(URI.create(local.apiUrl() + "/v1/sessions")).header("Authorization", auth)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"session_type\":\"sandbox\",\"ephemeral\":true}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString()).body();
        String id = created.replaceAll("(?s).*?\"id\":\"([^\"]+)\".*", "$1");
        try {
            await(http, local, id);
            SandboxGuest floor = SandboxGuest.of(local, id);
            String runtime = floor.runtime();
            String token = floor.token();
            System.out.printf("session %s on the %s runtime; %d calls per depth after 20 of warm-up%n", id, runtime,
                    runs);

            HttpRequest viaGateway = HttpRequest.newBuilder(URI.create(local.apiUrl() + "/v1/sessions/" + id + "/exec"))
                    .header("Authorization", auth).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"command\":\"true\"}")).build();
            var channel = local.agentChannel(InternalCallers.SESSION);
            var agent = VmAgentGrpc.newBlockingStub(channel);
            HttpRequest direct = HttpRequest.newBuilder(URI.create(floor.baseUrl() + "/v1/exec"))
                    .header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"command\":\"true\",\"timeout_ms\":30000}")).build();
            // the JDK's client upgrades plain http:// to HTTP/2 (h2c); curl, requests, fetch stay on HTTP/1.1
            HttpClient http11 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            double[] gateway = time(runs, () -> send(http11, viaGateway));
            double[] gatewayH2 = time(runs, () -> send(http, viaGateway));
            // the vm-agent's data plane as the gateway calls it: its client certificate and a session token
            HttpRequest agentHttp = HttpRequest
                    .newBuilder(URI.create(
                            "https://127.0.0.1:" + local.agentPort() + "/internal/v1/sessions/" + id + "/exec"))
                    .header(sh.chaser.contracts.DataPlaneContract.SESSION_TOKEN_HEADER,
                            new SessionTokenMinter(local.home()).mint(id, "exec"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"command\":\"true\"}")).build();
            HttpClient asGateway = local.http(InternalCallers.GATEWAY);
            double[] agentData = time(runs, () -> send(asGateway, agentHttp));
            double[] grpc = time(runs, () -> agent.withDeadlineAfter(30, TimeUnit.SECONDS)
                    .exec(ExecRequest.newBuilder().setSessionId(id).setCommand("true").build()).getExitCode() == 0);
            double[] guestDirect = time(runs, () -> send(http, direct));
            double[][] lean = lean(runs, local, id, auth, floor);
            double[] gatewayLean = lean[0];
            double[] guestLean = lean[1];
            SandboxBoot.report("gateway POST .../exec (HTTP/1.1)", gateway);
            SandboxBoot.report("gateway POST .../exec (h2c)", gatewayH2);
            SandboxBoot.report("vm-agent data plane POST .../exec", agentData);
            SandboxBoot.report("vm-agent gRPC Exec", grpc);
            SandboxBoot.report("guest agent (floor)", guestDirect);
            System.out.println("from a lean keep-alive client (as curl):");
            SandboxBoot.report("gateway POST .../exec", gatewayLean);
            SandboxBoot.report("guest agent (floor)", guestLean);
            System.out.printf("ratio gateway/guest (lean client): p50 %.2fx, p99 %.2fx%n",
                    LocalInstall.percentile(gatewayLean, 50) / LocalInstall.percentile(guestLean, 50),
                    LocalInstall.percentile(gatewayLean, 99) / LocalInstall.percentile(guestLean, 99));
            channel.shutdownNow();
        } finally {
            http.send(HttpRequest.newBuilder(URI.create(local.apiUrl() + "/v1/sessions/" + id + "?force=true"))
                    .header("Authorization", auth).DELETE().build(), HttpResponse.BodyHandlers.discarding());
        }
    }

    private static void await(HttpClient http, LocalInstall local, String id) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (!http.send(HttpRequest.newBuilder(URI.create(local.apiUrl() + "/v1/sessions/" + id))
                .header("Authorization", "Bearer " + local.apiKey()).build(), HttpResponse.BodyHandlers.ofString())
                .body().contains("\"status\":\"running\"")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("session " + id + " did not run");
            }
            Thread.sleep(200);
        }
    }

    private static boolean send(HttpClient http, HttpRequest request) {
        try {
            var r = http.send(request, HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && r.body().contains("\"exit_code\":0");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The gateway's and the guest's exec from a lean client (one write per request, as curl makes them). */
    private static double[][] lean(int runs, LocalInstall local, String id, String auth, SandboxGuest guest)
            throws Exception {
        try (KeepAliveClient gateway = new KeepAliveClient(local.apiUrl());
                KeepAliveClient direct = new KeepAliveClient(guest.baseUrl())) {
            double[] viaGateway = time(runs, () -> ok(() -> gateway.post("/v1/sessions/" + id + "/exec",
                    java.util.Map.of("Authorization", auth, "Content-Type", "application/json"),
                    "{\"command\":\"true\"}")));
            double[] floor = time(runs, () -> ok(() -> direct.post("/v1/exec",
                    java.util.Map.of("Authorization", "Bearer " + guest.token()),
                    "{\"command\":\"true\",\"timeout_ms\":30000}")));
            return new double[][]{ viaGateway, floor };
        }
    }

    @FunctionalInterface
    private interface Call {

        KeepAliveClient.Answer run() throws Exception;
    }

    private static boolean ok(Call call) {
        try {
            KeepAliveClient.Answer answer = call.run();
            return answer.status() == 200 && answer.body().contains("\"exit_code\":0");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static double[] time(int runs, Supplier<Boolean> call) {
        for (int i = 0; i < 20; i++) {
            check(call.get());
        }
        double[] millis = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            check(call.get());
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        return millis;
    }

    private static void check(boolean ok) {
        if (!ok) {
            throw new IllegalStateException("exec true did not answer exit code 0");
        }
    }
}
