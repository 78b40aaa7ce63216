package sh.chaser.launcher;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Right after start, a few rounds of harmless requests through the gateway with the installation's key:
 * lists, unknown ids (404) and refused bodies (400) on every service's routes. A user's first call
 * otherwise pays for the class loading, first connections and first queries of four JVMs (1.7 s measured,
 * docs/benchmarks.md). Nothing is created, and no 404 or 400 is audited; failures are ignored.
 */
final class Warmup {

    static final int ROUNDS = 3;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private Warmup() {}

    /** One request: method, path, JSON body or null. */
    record Call(String method, String path, String body) {}

    static List<Call> calls() {
        String unknown = UUID.randomUUID().toString();
        return List.of(
                new Call("GET", "/v1/accounts/current", null),
                new Call("GET", "/v1/api-keys", null),
                new Call("GET", "/v1/audit/events?limit=1", null),
                new Call("GET", "/v1/webhooks", null),
                new Call("GET", "/v1/billing/summary", null),
                new Call("GET", "/v1/sessions", null),
                new Call("GET", "/v1/sessions/" + unknown, null),
                new Call("POST", "/v1/sessions", "{\"session_type\":\"warm-up\"}"),
                new Call("POST", "/v1/exec", "{\"command\":\"\"}"),
                new Call("GET", "/v1/workspaces", null),
                new Call("GET", "/v1/workspaces/" + unknown, null),
                new Call("GET", "/v1/workspaces/" + unknown + "/snapshots", null),
                new Call("POST", "/v1/workspaces", "{\"session_type\":\"warm-up\"}"));
    }

    /** @return what it did, for the start-up lines */
    static String run(String apiUrl, String apiKey) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        long start = System.nanoTime();
        int sent = 0;
        int refused = 0;
        long firstMs = 0;
        for (int round = 0; round < ROUNDS; round++) {
            for (Call call : calls()) {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(apiUrl + call.path()))
                        .timeout(TIMEOUT).header("Authorization", "Bearer " + apiKey);
                request = call.body() == null
                        ? request.GET()
                        : request.header("Content-Type", "application/json")
                                .method(call.method(), HttpRequest.BodyPublishers.ofString(call.body()));
                try {
                    int status = client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                    if (status == 401 || status == 403 || status == 429 || status >= 500) {
                        refused++;
                    }
                } catch (java.io.IOException e) {
                    return "warm-up stopped: " + e.getMessage();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return "warm-up interrupted";
                }
                sent++;
                if (sent == 1) {
                    firstMs = (System.nanoTime() - start) / 1_000_000;
                }
            }
        }
        long totalMs = (System.nanoTime() - start) / 1_000_000;
        return String.format(
                "warm-up: %d requests through the gateway in %.1f s, the first %.1f s; %d refused or failed",
                sent, totalMs / 1000.0, firstMs / 1000.0, refused);
    }
}
