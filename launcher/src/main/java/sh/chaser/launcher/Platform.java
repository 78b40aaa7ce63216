package sh.chaser.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The processes of a local installation, in start order. */
public final class Platform {

    private final Settings settings;
    private final Database database;
    private final KafkaBroker kafka;
    private final KeyPairs keys;
    private final String java;
    private final String classpath;

    public Platform(Settings settings, Database database, String java, String classpath) {
        this.settings = settings;
        this.database = database;
        this.kafka = new KafkaBroker(settings);
        this.keys = new KeyPairs(settings);
        this.java = java;
        this.classpath = classpath;
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    public KeyPairs keys() {
        return keys;
    }

    /** PostgreSQL (when embedded) and Kafka: what the services need first. */
    public List<Component> infrastructure() {
        List<Component> list = new ArrayList<>();
        if (database.embedded()) {
            list.add(new Component("postgres", List.of(java, Supervisor.marker("postgres"), "-Xmx256m", "-cp", classpath,
                    EmbeddedPostgresMain.class.getName(), settings.home().resolve("postgres").resolve("data").toString(),
                    Integer.toString(database.port())), Map.of(), database.port(), database::accepts));
        }
        list.add(new Component("kafka", kafka.command(java, classpath), Map.of(), settings.kafkaPort(), kafka::ready));
        return list;
    }

    public List<Component> services() {
        Map<String, String> account = serviceEnv("account", settings.accountPort());
        account.put("CHASER_BOOTSTRAP_FILE", settings.bootstrapFile().toString());
        account.put("CHASER_AUTH_JWT_SIGNING_KEY", keys.privateKey(KeyPairs.AUTH).toString());
        account.put("CHASER_AUTH_JWT_PUBLIC_KEY", keys.publicKey(KeyPairs.AUTH).toString());
        account.put("CHASER_API_URL", settings.apiUrl());
        // a development install: webhooks may call receivers on this machine over http
        account.put("CHASER_WEBHOOKS_ALLOW_LOOPBACK", "true");
        Map<String, String> agent = new HashMap<>(Map.of(
                "CHASER_BIND_HOST", "127.0.0.1",
                "CHASER_HTTP_PORT", Integer.toString(settings.agentPort()),
                "CHASER_SESSION_SERVICE_PORT", Integer.toString(settings.sessionPort()),
                "CHASER_AGENT_DATA_DIR", settings.home().resolve("agent").toString(),
                // unique per platform on one host: agents own cgroups and network slots by host id
                "CHASER_HOST_ID", settings.agentPort() == 8084 ? "local" : "local-" + settings.agentPort(),
                "CHASER_AGENT_STOP_SANDBOXES_ON_SHUTDOWN", "true"));
        Map<String, String> gateway = new HashMap<>(Map.of(
                "CHASER_BIND_HOST", "127.0.0.1",
                "CHASER_HTTP_PORT", Integer.toString(settings.gatewayPort()),
                "CHASER_ACCOUNT_SERVICE_PORT", Integer.toString(settings.accountPort()),
                "CHASER_WORKSPACE_SERVICE_PORT", Integer.toString(settings.workspacePort()),
                "CHASER_SESSION_SERVICE_PORT", Integer.toString(settings.sessionPort()),
                "CHASER_INTERNAL_JWT_SIGNING_KEY", keys.privateKey(KeyPairs.INTERNAL).toString(),
                "CHASER_KAFKA_BOOTSTRAP", kafka.bootstrapServers()));
        Map<String, String> workspace = serviceEnv("workspace", settings.workspacePort());
        workspace.put("CHASER_SESSION_SERVICE_PORT", Integer.toString(settings.sessionPort()));
        Map<String, String> session = serviceEnv("session", settings.sessionPort());
        session.put("CHASER_WORKSPACE_SERVICE_PORT", Integer.toString(settings.workspacePort()));
        session.put("CHASER_API_URL", settings.apiUrl());
        return List.of(
                quarkus("account-service", settings.accountPort(), account),
                quarkus("workspace-service", settings.workspacePort(), workspace),
                quarkus("session-service", settings.sessionPort(), session),
                quarkus("vm-agent", settings.agentPort(), agent),
                quarkus("api-gateway", settings.gatewayPort(), gateway));
    }

    public List<Component> all() {
        List<Component> all = new ArrayList<>(infrastructure());
        all.addAll(services());
        return all;
    }

    /** The runnable jar of a module, built by {@code ./mvnw package}. */
    public Path runnable(String module) {
        return settings.repo().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    private Component quarkus(String module, int port, Map<String, String> env) {
        List<String> command = List.of(java, Supervisor.marker(module), "-Xms64m", "-Xmx384m", "-XX:+UseSerialGC",
                "-jar", runnable(module).toString());
        return new Component(module, command, env, port, new HttpReadiness(port));
    }

    private Map<String, String> serviceEnv(String name, int port) {
        Map<String, String> env = new HashMap<>();
        env.put("CHASER_BIND_HOST", "127.0.0.1");
        env.put("CHASER_HTTP_PORT", Integer.toString(port));
        env.put("CHASER_DB_HOST", database.host());
        env.put("CHASER_DB_PORT", Integer.toString(database.port()));
        env.put("CHASER_DB_USER", database.user());
        env.put("CHASER_DB_PASSWORD", database.password());
        env.put("CHASER_DB_NAME", "chaser_" + name + settings.dbSuffix());
        env.put("CHASER_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
        env.put("CHASER_INTERNAL_JWT_PUBLIC_KEY", keys.publicKey(KeyPairs.INTERNAL).toString());
        return env;
    }
}
