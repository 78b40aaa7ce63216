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
    private final InternalCertificates certificates;
    private final String java;
    private final String classpath;
    private final Map<String, ServiceDatabases.Login> logins = new HashMap<>();

    public Platform(Settings settings, Database database, String java, String classpath) {
        this.settings = settings;
        this.database = database;
        this.keys = new KeyPairs(settings);
        this.certificates = new InternalCertificates(settings);
        this.kafka = new KafkaBroker(settings, certificates);
        this.java = java;
        this.classpath = classpath;
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    public KeyPairs keys() {
        return keys;
    }

    public InternalCertificates certificates() {
        return certificates;
    }

    /**
     * The identities whose certificates the launcher issues. Agents are not among them: each joins
     * (session-service signs its key with the agent issuer), as an agent on another machine would.
     */
    public List<String> identities() {
        return List.of("api-gateway", "account-service", "workspace-service", "session-service",
                KafkaBroker.IDENTITY);
    }

    /** Unique per platform on one host: agents own cgroups and network slots by host id. */
    String hostId() {
        return settings.agentPort() == 8084 ? "local" : "local-" + settings.agentPort();
    }

    /** Each service's database and login role (the server must be up); the services get those logins. */
    public void createServiceDatabases() throws java.io.IOException, java.sql.SQLException {
        ServiceDatabases databases = new ServiceDatabases(database, settings);
        for (String name : List.of("account", "workspace", "session")) {
            logins.put(name, databases.ensure(databaseName(name)));
        }
    }

    private String databaseName(String service) {
        return "chaser_" + service + settings.dbSuffix();
    }

    /** PostgreSQL (when embedded) and Kafka: what the services need first. */
    public List<Component> infrastructure() {
        List<Component> list = new ArrayList<>();
        if (database.embedded()) {
            list.add(new Component("postgres",
                    List.of(java, Supervisor.marker("postgres"), "-Xmx256m", "-cp", classpath,
                            EmbeddedPostgresMain.class.getName(),
                            settings.home().resolve("postgres").resolve("data").toString(),
                            Integer.toString(database.port())),
                    Map.of(), database.port(), database::accepts));
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
                "CHASER_HOST_ID", hostId(),
                // the gateway's session tokens on the data plane are checked with it
                "CHASER_INTERNAL_JWT_PUBLIC_KEY", keys.publicKey(KeyPairs.INTERNAL).toString(),
                // only callers holding it (session- and workspace-service) may use the agent's gRPC API
                "CHASER_AGENT_CALLS_SECRET_FILE", keys.agentCallSecret().toString()));
        agent.put("CHASER_HOST_JOIN_TOKEN_FILE", keys.hostJoinToken().toString());
        // no certificate from the launcher: the agent joins and keeps the one it gets in its data directory
        agent.putAll(certificates.serverEnv("vm-agent/" + hostId()));
        Path agentTls = settings.home().resolve("agent").resolve("tls");
        agent.put("CHASER_TLS_CERT", agentTls.resolve("agent.crt").toString());
        agent.put("CHASER_TLS_KEY", agentTls.resolve("agent.key").toString());
        agent.put("CHASER_JOIN_URL", "https://127.0.0.1:" + settings.joinPort());
        AgentRuntime.chosen(settings).ifPresent(runtime -> agent.put("CHASER_AGENT_RUNTIME", runtime));
        Map<String, String> gateway = new HashMap<>(Map.of(
                "CHASER_BIND_HOST", "127.0.0.1",
                "CHASER_HTTP_PORT", Integer.toString(settings.gatewayPort()),
                "CHASER_ACCOUNT_SERVICE_PORT", Integer.toString(settings.accountPort()),
                "CHASER_WORKSPACE_SERVICE_PORT", Integer.toString(settings.workspacePort()),
                "CHASER_SESSION_SERVICE_PORT", Integer.toString(settings.sessionPort()),
                "CHASER_INTERNAL_JWT_SIGNING_KEY", keys.privateKey(KeyPairs.INTERNAL).toString(),
                "CHASER_KAFKA_BOOTSTRAP", kafka.bootstrapServers()));
        gateway.put("CHASER_SSH_PORT", Integer.toString(settings.sshPort()));
        gateway.put("CHASER_SSH_HOST_KEY", keys.sshHostKey().toString());
        gateway.putAll(certificates.clientEnv("api-gateway"));
        gateway.putAll(certificates.kafkaEnv("api-gateway"));
        Map<String, String> workspace = serviceEnv("workspace", settings.workspacePort());
        workspace.put("CHASER_AGENT_CALLS_SECRET_FILE", keys.agentCallSecret().toString());
        Map<String, String> session = serviceEnv("session", settings.sessionPort());
        session.put("CHASER_WORKSPACE_SERVICE_PORT", Integer.toString(settings.workspacePort()));
        // jobs: the principal a job acts as is re-checked there before each attempt
        session.put("CHASER_ACCOUNT_SERVICE_PORT", Integer.toString(settings.accountPort()));
        session.put("CHASER_API_URL", settings.apiUrl());
        session.put("CHASER_AGENT_CALLS_SECRET_FILE", keys.agentCallSecret().toString());
        session.put("CHASER_HOST_JOIN_TOKEN_FILE", keys.hostJoinToken().toString());
        session.put("CHASER_JOIN_PORT", Integer.toString(settings.joinPort()));
        session.put("CHASER_AGENT_ISSUER_CERT", certificates.agentIssuerCert().toString());
        session.put("CHASER_AGENT_ISSUER_KEY", certificates.agentIssuerKey().toString());
        List<Component> list = new ArrayList<>();
        if (settings.replicas() > 1) {
            list.add(balancer());
        }
        list.addAll(instances("account-service", settings.accountPort(), account));
        list.addAll(instances("workspace-service", settings.workspacePort(), workspace));
        list.addAll(instances("session-service", settings.sessionPort(), session));
        // one agent per host, as the DaemonSet runs one per node
        list.add(quarkus("vm-agent", settings.agentPort(), agent));
        list.addAll(instances("api-gateway", settings.gatewayPort(), gateway));
        return list;
    }

    /**
     * The instances of one service: itself on its port when there is one replica, else
     * {@code <module>-1..N} on their instance ports, reached through the balancer on its port.
     */
    private List<Component> instances(String module, int port, Map<String, String> env) {
        if (settings.replicas() == 1) {
            return List.of(quarkus(module, port, env));
        }
        List<Component> list = new ArrayList<>();
        for (int i = 1; i <= settings.replicas(); i++) {
            Map<String, String> own = new HashMap<>(env);
            own.put("CHASER_HTTP_PORT", Integer.toString(settings.instancePort(port, i)));
            if (env.containsKey("CHASER_SSH_PORT")) {
                own.put("CHASER_SSH_PORT", Integer.toString(settings.instancePort(settings.sshPort(), i)));
            }
            if (env.containsKey("CHASER_JOIN_PORT")) {
                own.put("CHASER_JOIN_PORT", Integer.toString(settings.instancePort(settings.joinPort(), i)));
            }
            list.add(quarkus(module + "-" + i, module, settings.instancePort(port, i), own));
        }
        return list;
    }

    private Component balancer() {
        List<String> command = new ArrayList<>(List.of(java, Supervisor.marker("balancer"), "-Xmx64m", "-cp", classpath,
                BalancerMain.class.getName()));
        int[] ports = { settings.gatewayPort(), settings.accountPort(), settings.workspacePort(),
                settings.sessionPort(), settings.joinPort(), settings.sshPort() };
        for (int port : ports) {
            StringBuilder arg = new StringBuilder(port + "=");
            for (int i = 1; i <= settings.replicas(); i++) {
                arg.append(i > 1 ? "," : "").append(settings.instancePort(port, i));
            }
            command.add(arg.toString());
        }
        return new Component("balancer", command, Map.of(), settings.gatewayPort(), () -> {
            for (int port : ports) {
                if (!BalancerMain.accepts(port)) {
                    return false;
                }
            }
            return true;
        });
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
        return quarkus(module, module, port, env);
    }

    private Component quarkus(String name, String module, int port, Map<String, String> env) {
        List<String> command = new ArrayList<>(List.of(java, Supervisor.marker(name)));
        command.addAll(JvmOptions.of(module, System.getenv()));
        command.addAll(List.of("-jar", runnable(module).toString()));
        Map<String, String> withManagement = new HashMap<>(env);
        withManagement.put("CHASER_MANAGEMENT_PORT", Integer.toString(Settings.managementPort(port)));
        return new Component(name, command, withManagement, port, new HttpReadiness(Settings.managementPort(port)));
    }

    private Map<String, String> serviceEnv(String name, int port) {
        Map<String, String> env = new HashMap<>();
        env.put("CHASER_BIND_HOST", "127.0.0.1");
        env.put("CHASER_HTTP_PORT", Integer.toString(port));
        env.put("CHASER_DB_HOST", database.host());
        env.put("CHASER_DB_PORT", Integer.toString(database.port()));
        // its own role (createServiceDatabases); the administrator's login only before that ran
        ServiceDatabases.Login login = logins.getOrDefault(name,
                new ServiceDatabases.Login(database.user(), database.password()));
        env.put("CHASER_DB_USER", login.user());
        env.put("CHASER_DB_PASSWORD", login.password());
        env.put("CHASER_DB_NAME", databaseName(name));
        env.put("CHASER_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
        env.put("CHASER_INTERNAL_JWT_PUBLIC_KEY", keys.publicKey(KeyPairs.INTERNAL).toString());
        env.putAll(certificates.serverEnv(name + "-service"));
        env.putAll(certificates.kafkaEnv(name + "-service"));
        return env;
    }
}
