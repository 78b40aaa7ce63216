package sh.chaser.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import sh.chaser.contracts.InternalCallers;

/**
 * What the gateway costs: authenticated {@code GET /v1/accounts/current} through the gateway
 * against the same call straight to account-service (with an internal token, as the gateway
 * sends it), at 1 and 64 concurrent connections.
 */
public final class GatewayOverhead {

    private static final String HELP = """
            Usage: bench/gateway-overhead [--seconds N] [--warmup N] [--wrk]

            --wrk  drive the load with wrk (Debian package wrk) instead of JDK HTTP clients: a
                   lighter generator, so more of the 2 cores are left to what is measured

            Needs a running platform (./chaser up) whose rate limits do not throttle the run, e.g.
              ./chaser down; CHASER_RATE_LIMIT_PRINCIPAL_PER_MINUTE=100000000 \\
                CHASER_RATE_LIMIT_ACCOUNT_PER_MINUTE=100000000 ./chaser up
            Reads CHASER_HOME (default .chaser) for local.env and the internal signing key.
            Prints p50, p99 and requests per second per case, and gateway/direct ratios.
            """;

    public record Result(String name, int connections, double p50Ms, double p99Ms, double rps, int errors) {}

    public static void main(String[] args) throws Exception {
        List<String> a = Arrays.asList(args);
        if (a.contains("--help") || a.contains("-h")) {
            System.out.print(HELP);
            return;
        }
        int seconds = LocalInstall.option(a, "--seconds", 10);
        int warmup = LocalInstall.option(a, "--warmup", 3);
        LocalInstall local = LocalInstall.read();
        Path home = local.home();
        String gateway = local.apiUrl();
        int base = local.gatewayPort();
        // straight to account-service as the gateway does: mutual TLS with the gateway's certificate
        String direct = "https://127.0.0.1:" + (base + 1);
        internalTls = local.tls(InternalCallers.GATEWAY).sslContext();
        String key = local.apiKey();
        String principal = fetch(gateway + "/v1/accounts/current", key);
        String internal = internalToken(home.resolve("keys/internal-jwt-private.pem"), principal);

        System.out.printf("GET /v1/accounts/current, %d s per case after %d s warm-up%n", seconds, warmup);
        boolean wrk = a.contains("--wrk");
        List<Result> results = new ArrayList<>();
        for (int connections : new int[]{ 1, 64 }) {
            if (wrk) {
                results.add(Wrk.run("gateway", gateway, key, connections, warmup, seconds));
                // wrk presents no client certificate: the direct case is measured with the JDK client
                results.add(run("direct", direct, internal, connections, warmup, seconds));
            } else {
                results.add(run("gateway", gateway, key, connections, warmup, seconds));
                results.add(run("direct", direct, internal, connections, warmup, seconds));
            }
        }
        System.out.printf("%n%-8s %5s %9s %9s %9s %7s%n", "path", "conns", "p50 ms", "p99 ms", "req/s", "errors");
        for (Result r : results) {
            System.out.printf("%-8s %5d %9.3f %9.3f %9.0f %7d%n", r.name(), r.connections(), r.p50Ms(), r.p99Ms(),
                    r.rps(),
                    r.errors());
        }
        for (int i = 0; i < results.size(); i += 2) {
            Result g = results.get(i);
            Result d = results.get(i + 1);
            System.out.printf("at %2d connections: gateway adds %.3f ms at p50 (%.2fx), serves %.2fx the direct rate%n",
                    g.connections(), g.p50Ms() - d.p50Ms(), g.p50Ms() / d.p50Ms(), g.rps() / d.rps());
        }
    }

    private static SSLContext internalTls;

    private static Result run(String name, String baseUrl, String token, int connections, int warmup, int seconds)
            throws Exception {
        System.out.printf("  %s, %d connection(s)...%n", name, connections);
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/v1/accounts/current"))
                .header("Authorization", "Bearer " + token).GET().build();
        long warmEnd = System.nanoTime() + warmup * 1_000_000_000L;
        long end = warmEnd + seconds * 1_000_000_000L;
        List<long[]> perThread = new ArrayList<>();
        AtomicInteger errors = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(connections);
        for (int t = 0; t < connections; t++) {
            long[] samples = new long[2_000_000];
            perThread.add(samples);
            int index = t;
            Thread thread = new Thread(() -> {
                // One client per connection: each thread keeps its own keep-alive connection.
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .sslContext(internalTls).build();
                int n = 0;
                try {
                    while (System.nanoTime() < end && n < samples.length) {
                        long start = System.nanoTime();
                        HttpResponse<Void> r = client.send(request, HttpResponse.BodyHandlers.discarding());
                        long took = System.nanoTime() - start;
                        if (r.statusCode() != 200) {
                            errors.incrementAndGet();
                        } else if (start >= warmEnd) {
                            samples[n++] = took;
                        }
                    }
                } catch (Exception e) {
                    errors.incrementAndGet();
                }
                perThread.set(index, Arrays.copyOf(samples, n));
                done.countDown();
            });
            thread.start();
        }
        done.await();
        long[] all = perThread.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        if (all.length == 0) {
            throw new IllegalStateException(name + ": no successful request (" + errors.get() + " errors)");
        }
        return new Result(name, connections, all[all.length / 2] / 1e6, all[(int) (all.length * 0.99)] / 1e6,
                all.length / (double) seconds, errors.get());
    }

    /** The principal of the key, as the gateway would put it in an internal token. */
    private static String fetch(String url, String key) throws Exception {
        var r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).header("Authorization",
                "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("the key does not work: " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    private static String internalToken(Path privateKeyPem, String accountJson) throws Exception {
        String accountId = field(accountJson, "id");
        // The bootstrap key's user id is not in the account view; any principal id is accepted for this read.
        long now = System.currentTimeMillis() / 1000;
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
        String payload = "{\"iss\":\"chaser-gateway\",\"aud\":\"chaser-internal\",\"sub\":\""
                + java.util.UUID.randomUUID() + "\",\"groups\":[\"owner\"],\"chaser_principal_type\":\"user\","
                + "\"chaser_account\":\"" + accountId + "\",\"chaser_role\":\"owner\",\"chaser_scopes\":[],"
                + "\"chaser_full_access\":true,\"iat\":" + now + ",\"exp\":" + (now + 3600) + "}";
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signingInput = b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        String pem = Files.readString(privateKeyPem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("RSA")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initSign(key);
        rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + b64.encodeToString(rs256.sign());
    }

    private static String field(String json, String name) {
        int i = json.indexOf("\"" + name + "\":\"") + name.length() + 4;
        return json.substring(i, json.indexOf('"', i));
    }

}
