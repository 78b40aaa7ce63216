package sh.chaser.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the local platform keeps its state and which ports it uses. Every port derives from
 * {@code CHASER_PORT_BASE} (default 8080) so a second installation (the e2e tests, say) runs
 * beside the first by choosing another base.
 *
 * @param replicas instances of each service; above 1 a balancer takes the services' ports and
 *     instance {@code i} of a service listens on {@code port + 10 * i} (remembered in the home)
 */
public record Settings(Path repo, Path home, int portBase, String dbSuffix, int replicas) {

    public static final int MAX_REPLICAS = 8;

    public static Settings fromEnvironment(Map<String, String> env) {
        Path repo = Path.of(env.getOrDefault("CHASER_REPO", ".")).toAbsolutePath().normalize();
        Path home = Path.of(env.getOrDefault("CHASER_HOME", repo.resolve(".chaser").toString())).toAbsolutePath();
        int base = Integer.parseInt(env.getOrDefault("CHASER_PORT_BASE", "8080"));
        Path remembered = home.resolve("replicas");
        int replicas = 1;
        try {
            if (Files.exists(remembered)) {
                replicas = Integer.parseInt(Files.readString(remembered).trim());
            }
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("unreadable " + remembered + ": " + e.getMessage(), e);
        }
        return new Settings(repo, home, base, env.getOrDefault("CHASER_DB_SUFFIX", ""), replicas);
    }

    /** The same installation with {@code n} instances of each service, remembered for down and status. */
    public Settings withReplicas(int n) {
        try {
            Files.createDirectories(home);
            Files.writeString(home.resolve("replicas"), Integer.toString(n));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Settings(repo, home, portBase, dbSuffix, n);
    }

    /** Where instance {@code i} (1-based) of the service on {@code port} listens. */
    public int instancePort(int port, int i) {
        return replicas == 1 ? port : port + 10 * i;
    }

    /** Where the process on HTTP port {@code port} serves /q/health and /q/metrics (never the API's port). */
    public static int managementPort(int port) {
        return port + 50;
    }

    public int gatewayPort() {
        return portBase;
    }

    public int accountPort() {
        return portBase + 1;
    }

    public int workspacePort() {
        return portBase + 2;
    }

    /** session-service's join port: where agents get their certificates (AgentJoin). */
    public int joinPort() {
        return sessionPort() + 100;
    }

    public int sessionPort() {
        return portBase + 3;
    }

    /** The SSH gateway's port (the gateway's second listener): 8085 for the default base. */
    public int sshPort() {
        return portBase + 5;
    }

    public int agentPort() {
        return portBase + 4;
    }

    /** 9092 for the default base. */
    public int kafkaPort() {
        return portBase + 1012;
    }

    public int kafkaControllerPort() {
        return portBase + 1013;
    }

    /** Used only when the launcher starts its own PostgreSQL: 15432 for the default base. */
    public int embeddedPostgresPort() {
        return portBase + 7352;
    }

    public Path logs() {
        return home.resolve("logs");
    }

    public Path run() {
        return home.resolve("run");
    }

    public Path localEnv() {
        return home.resolve("local.env");
    }

    public Path bootstrapFile() {
        return home.resolve("run").resolve("bootstrap.env");
    }

    public String apiUrl() {
        return "http://127.0.0.1:" + gatewayPort();
    }
}
