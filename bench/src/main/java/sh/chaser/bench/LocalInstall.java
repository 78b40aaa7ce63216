package sh.chaser.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

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

    /** A channel to the vm-agent whose calls carry the installation's agent-call token, as the services' do. */
    io.grpc.ManagedChannel agentChannel() {
        return io.grpc.ManagedChannelBuilder.forAddress("127.0.0.1", agentPort()).usePlaintext()
                .intercept(
                        new sh.chaser.contracts.AgentCallCredentials(home.resolve("keys/agent-calls.secret"), "bench"))
                .build();
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
