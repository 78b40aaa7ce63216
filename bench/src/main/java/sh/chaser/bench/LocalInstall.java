package sh.chaser.bench;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import sh.chaser.contracts.AgentCallCredentials;
import sh.chaser.contracts.InternalTls;

/**
 * The platform {@code ./chaser up} started: its state directory ({@code CHASER_HOME}, default
 * {@code .chaser}), the credentials in {@code local.env}, and the ports derived from the gateway's.
 */
record LocalInstall(Path home, Properties env) {

    static LocalInstall read() throws IOException {
        Path home = Path.of(System.getenv().getOrDefault("CHASER_HOME", ".chaser")).toAbsolutePath();
        Properties env = new Properties();
        try (var in = Files.newBufferedReader(home.resolve("local.env"))) {
            env.load(in);
        }
        return new LocalInstall(home, env);
    }

    String apiUrl() {
        return env.getProperty("CHASER_API_URL");
    }

    String apiKey() {
        return env.getProperty("CHASER_API_KEY");
    }

    /** The gateway's port; account-service is one above it, the vm-agent four. */
    int gatewayPort() {
        return URI.create(apiUrl()).getPort();
    }

    int agentPort() {
        return gatewayPort() + 4;
    }

    /**
     * A channel to the vm-agent as {@code identity} (session-service boots, workspace-service keeps
     * disks): its certificate, and the installation's agent-call token on every call, as the services'.
     */
    ManagedChannel agentChannel(String identity) {
        return Grpc.newChannelBuilderForAddress("127.0.0.1", agentPort(), tls(identity).channelCredentials())
                .intercept(new AgentCallCredentials(home.resolve("keys/agent-calls.secret"), "bench")).build();
    }

    /** The certificate ./chaser up issued {@code identity} (the internal plane is mutual TLS). */
    InternalTls tls(String identity) {
        Path dir = home.resolve("tls/current");
        return new InternalTls(dir.resolve(identity + ".crt"), dir.resolve(identity + ".key"),
                home.resolve("tls/ca.crt"));
    }

    /** The TLS context that presents {@code identity}'s certificate on the internal plane. */
    javax.net.ssl.SSLContext sslContext(String identity) {
        return tls(identity).sslContext();
    }

    /** A JDK HTTP client that calls internal ports as {@code identity}. */
    HttpClient http(String identity) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(tls(identity).sslContext())
                .build();
    }

    /**
     * Waits (up to 60 s) until the vm-agent has released every destroyed sandbox (its health data's
     * {@code teardowns_pending} is 0), so a measurement does not share the cores with the last one's teardowns.
     */
    void awaitAgentQuiet() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        URI health = URI.create("http://127.0.0.1:" + (agentPort() + 50) + "/q/health");
        java.util.regex.Pattern pending = java.util.regex.Pattern.compile("\"teardowns_pending\"\\s*:\\s*(\\d+)");
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            String body = client.send(java.net.http.HttpRequest.newBuilder(health).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            var m = pending.matcher(body);
            if (!m.find()) {
                throw new IllegalStateException("the vm-agent's health has no teardowns_pending: " + body);
            }
            if (Integer.parseInt(m.group(1)) == 0) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the vm-agent still has teardowns pending after 60 s: " + body);
            }
            Thread.sleep(20);
        }
    }

    /** What a benchmark times; may throw what its call throws. */
    interface Timed {

        void run() throws Exception;
    }

    /** Milliseconds {@code action} took. */
    static double time(Timed action) throws Exception {
        long start = System.nanoTime();
        action.run();
        return (System.nanoTime() - start) / 1e6;
    }

    static int option(List<String> args, String name, int fallback) {
        int i = args.indexOf(name);
        return i >= 0 ? Integer.parseInt(args.get(i + 1)) : fallback;
    }

    /** The p-th percentile (nearest rank) of the values. */
    static double percentile(double[] values, int p) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }
}
