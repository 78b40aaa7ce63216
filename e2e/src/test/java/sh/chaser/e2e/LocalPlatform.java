package sh.chaser.e2e;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.DriverManager;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import sh.chaser.contracts.InternalCallers;
import sh.chaser.contracts.InternalTls;

/**
 * Drives {@code ./chaser} as a person would, in an installation of its own: its own home, port
 * base and database names, so it runs beside a developer's platform and leaves nothing behind.
 */
final class LocalPlatform {

    record Result(int exit, String output) {

        /** The {@code NAME=value} lines the launcher prints. */
        Map<String, String> variables() {
            Map<String, String> vars = new LinkedHashMap<>();
            for (String line : output.split("\n")) {
                if (line.matches("CHASER_[A-Z_]+=.*")) {
                    vars.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
                }
            }
            return vars;
        }
    }

    final Path repo = Path.of(System.getProperty("chaser.repo", "..")).toAbsolutePath().normalize();
    final Path home;
    final int portBase;
    final String dbSuffix;
    /** Passed to every {@code ./chaser} run, and from there to the services. */
    final Map<String, String> env = new LinkedHashMap<>();

    LocalPlatform() throws IOException {
        home = Files.createTempDirectory("chaser-e2e-");
        portBase = freePortBase();
        byte[] random = new byte[3];
        new SecureRandom().nextBytes(random);
        dbSuffix = "_e2e" + HexFormat.of().formatHex(random);
    }

    Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(repo.resolve("chaser").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("CHASER_HOME", home.toString());
        env.put("CHASER_PORT_BASE", Integer.toString(portBase));
        env.put("CHASER_DB_SUFFIX", dbSuffix);
        // The reactor has just built every module; the launcher must not build again.
        env.put("CHASER_SKIP_BUILD", "1");
        // Cached principals outlive every test, so a revocation seen within seconds proves that
        // the gateway acted on the Kafka event, not on the cache's expiry (5 s by default).
        env.put("CHASER_GATEWAY_AUTH_CACHE_TTL", "120s");
        env.putAll(this.env);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        System.out.println("$ ./chaser " + String.join(" ", args) + "\n" + output);
        return new Result(p.exitValue(), output);
    }

    int agentPort() {
        return portBase + 4;
    }

    /** The SSH gateway's port (launcher Settings.sshPort). */
    int sshPort() {
        return portBase + 5;
    }

    /** Where the vm-agent keeps workspace disk {@code id} (what {@code /workspace} shows a session). */
    Path disk(String id) {
        return home.resolve("agent/disk-store/disks").resolve(id);
    }

    /** The host pid of a sandbox's init, from the vm-agent's journal. */
    /** The host directory an ephemeral session's /workspace is. */
    Path scratch(String sessionId) {
        return home.resolve("agent/disk-store/scratch").resolve(sessionId);
    }

    /** Where runc writes its own messages about a sandbox's init. */
    Path initLog(String sessionId) {
        return home.resolve("agent/sandboxes").resolve(sessionId).resolve("init.log");
    }

    /** The secret session- and workspace-service sign their calls to the vm-agent with. */
    /** The installation's host join token (made by ./chaser up, owner-only). */
    Path hostJoinToken() {
        return home.resolve("keys/host-join.token");
    }

    /** The id its vm-agent registers under (as the launcher names it). */
    String hostId() {
        return agentPort() == 8084 ? "local" : "local-" + agentPort();
    }

    int sessionPort() {
        return portBase + 3;
    }

    /** The certificate ./chaser up issued {@code identity} (api-gateway, session-service, vm-agent/<host id>...). */
    InternalTls tls(String identity) {
        if (identity.startsWith(InternalCallers.AGENT + "/")) {
            // the agent joined: session-service signed the key it keeps in its data directory
            Path dir = home.resolve("agent/tls");
            return new InternalTls(dir.resolve("agent.crt"), dir.resolve("agent.key"), home.resolve("tls/ca.crt"));
        }
        Path dir = home.resolve("tls/current");
        String file = identity.replace('/', '.');
        return new InternalTls(dir.resolve(file + ".crt"), dir.resolve(file + ".key"), home.resolve("tls/ca.crt"));
    }

    /** session-service's join port (where agents get their certificates). */
    int joinPort() {
        return sessionPort() + 100;
    }

    /** The broker's admin identity (its own certificate; the one Kafka super user). */
    static final String KAFKA_ADMIN = "kafka";

    /** A Kafka client's connection to this platform's broker as {@code identity} (mutual TLS). */
    java.util.Properties kafka(String identity) {
        java.util.Properties p = new java.util.Properties();
        p.put("bootstrap.servers", "127.0.0.1:" + (portBase + 1012));
        p.put("security.protocol", "SSL");
        p.put("ssl.keystore.type", "PEM");
        p.put("ssl.keystore.location", kafkaKeystore(identity).toString());
        p.put("ssl.truststore.type", "PEM");
        p.put("ssl.truststore.location", home.resolve("tls/ca.crt").toString());
        return p;
    }

    /** Key and certificate in one PEM: the launcher writes one per identity; an agent's (it joined) is made here. */
    private Path kafkaKeystore(String identity) {
        if (!identity.startsWith(InternalCallers.AGENT + "/")) {
            return home.resolve("tls/current").resolve(identity.replace('/', '.') + ".pem");
        }
        try {
            InternalTls agent = tls(identity);
            Path pem = Files.createTempFile("agent-kafka", ".pem");
            Files.writeString(pem, Files.readString(agent.key()) + Files.readString(agent.cert()));
            return pem;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A gRPC channel to one of this platform's ports, as {@code identity} (its certificate). */
    ManagedChannel channel(int port, String identity) {
        return Grpc.newChannelBuilderForAddress("127.0.0.1", port, tls(identity).channelCredentials()).build();
    }

    /** curl's options to call one of this platform's internal ports as {@code identity}. */
    String curlAs(String identity) {
        InternalTls tls = tls(identity);
        return "--cacert " + tls.ca() + " --cert " + tls.cert() + " --key " + tls.key() + " ";
    }

    Path agentCallSecret() {
        return home.resolve("keys/agent-calls.secret");
    }

    /** The network namespace of a sandbox, from the vm-agent's journal. */
    String sandboxNetns(String sessionId) throws Exception {
        var record = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                home.resolve("agent/sandboxes").resolve(sessionId).resolve("sandbox.json").toFile());
        return "chaser-" + record.path("handle").path("resources").path("net_slot").asText();
    }

    /** The cgroup of a sandbox (relative to a hierarchy's root), from the vm-agent's journal. */
    String sandboxCgroup(String sessionId) throws Exception {
        var record = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                home.resolve("agent/sandboxes").resolve(sessionId).resolve("sandbox.json").toFile());
        return record.path("handle").path("resources").path("cgroup").asText();
    }

    long sandboxInit(String sessionId) throws Exception {
        var record = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                home.resolve("agent/sandboxes").resolve(sessionId).resolve("sandbox.json").toFile());
        return record.path("handle").path("pid").asLong();
    }

    /**
     * Kills one of the platform's components as a crash would (SIGKILL): every instance of it when
     * it runs replicated. Waits until they are gone.
     */
    void kill(String component) throws Exception {
        for (long pid : pids(component)) {
            ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
            new ProcessBuilder("kill", "-9", Long.toString(pid)).inheritIO().start().waitFor();
            process.onExit().get(30, TimeUnit.SECONDS);
        }
    }

    /** The pids of a component's processes: {@code <name>.pid}, or {@code <name>-<i>.pid} per instance. */
    List<Long> pids(String component) throws IOException {
        List<Long> pids = new java.util.ArrayList<>();
        try (var files = Files.list(home.resolve("run"))) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                if (name.equals(component + ".pid")
                        || name.matches(java.util.regex.Pattern.quote(component) + "-\\d+\\.pid")) {
                    pids.add(Long.parseLong(Files.readString(f).trim()));
                }
            }
        }
        if (pids.isEmpty()) {
            throw new IOException("no process of " + component + " in " + home.resolve("run"));
        }
        return pids;
    }

    /**
     * Starts one more api-gateway instance of this platform on a free port (as a fleet runs several
     * behind a load balancer) and waits until it is ready; the caller stops it.
     */
    Process extraGateway(int port) throws Exception {
        int management = freePort();
        var pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m",
                "-XX:+UseSerialGC", "-jar", repo.resolve("api-gateway/target/quarkus-app/quarkus-run.jar").toString())
                .redirectErrorStream(true).redirectOutput(home.resolve("logs/api-gateway-" + port + ".log").toFile());
        Map<String, String> e = pb.environment();
        e.put("CHASER_BIND_HOST", "127.0.0.1");
        e.put("CHASER_HTTP_PORT", Integer.toString(port));
        e.put("CHASER_MANAGEMENT_PORT", Integer.toString(management));
        e.put("CHASER_ACCOUNT_SERVICE_PORT", Integer.toString(portBase + 1));
        e.put("CHASER_WORKSPACE_SERVICE_PORT", Integer.toString(portBase + 2));
        e.put("CHASER_SESSION_SERVICE_PORT", Integer.toString(portBase + 3));
        e.put("CHASER_INTERNAL_JWT_SIGNING_KEY", home.resolve("keys/internal-jwt-private.pem").toString());
        e.put("CHASER_KAFKA_BOOTSTRAP", "127.0.0.1:" + (portBase + 1012));
        // the gateway's certificate: services and agents answer nothing else (mutual TLS)
        InternalTls tls = tls(InternalCallers.GATEWAY);
        e.put("CHASER_TLS_CERT", tls.cert().toString());
        e.put("CHASER_TLS_KEY", tls.key().toString());
        e.put("CHASER_TLS_CA", tls.ca().toString());
        e.put("CHASER_KAFKA_SECURITY_PROTOCOL", "SSL");
        e.put("CHASER_KAFKA_KEYSTORE", kafka(InternalCallers.GATEWAY).getProperty("ssl.keystore.location"));
        e.put("CHASER_KAFKA_TRUSTSTORE", tls.ca().toString());
        e.putAll(env);
        Process gateway = pb.start();
        var health = java.net.http.HttpClient.newHttpClient();
        var ready = java.net.http.HttpRequest
                .newBuilder(java.net.URI.create("http://127.0.0.1:" + management + "/q/health/ready")).build();
        Await.until(() -> {
            try {
                return health.send(ready, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException notYet) {
                return false;
            }
        }, 60, "the extra gateway on port " + port + " is ready");
        return gateway;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * Stops one process by name ({@code api-gateway-1}, say) as Kubernetes stops a pod: SIGTERM,
     * then it shuts down gracefully. Waits until it is gone.
     */
    void terminate(String process) throws Exception {
        long pid = Long.parseLong(Files.readString(home.resolve("run").resolve(process + ".pid")).trim());
        ProcessHandle handle = ProcessHandle.of(pid).orElseThrow();
        handle.destroy();
        handle.onExit().get(60, TimeUnit.SECONDS);
    }

    /** Sends a signal (STOP, CONT, ...) to one of the platform's processes. */
    void signal(String component, String signal) throws Exception {
        for (long pid : pids(component)) {
            new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor();
        }
    }

    /** A JDBC connection to one of this installation's service databases. */
    java.sql.Connection database(String service) throws Exception {
        Properties db = new Properties();
        try (var in = Files.newBufferedReader(home.resolve("database.properties"))) {
            db.load(in);
        }
        return DriverManager.getConnection("jdbc:postgresql://" + db.getProperty("host") + ":" + db.getProperty("port")
                + "/chaser_" + service + dbSuffix, db.getProperty("user"), db.getProperty("password"));
    }

    /** A JDBC connection to {@code service}'s database with the login role ./chaser up made for {@code as}. */
    java.sql.Connection databaseAs(String service, String as) throws Exception {
        Properties db = new Properties();
        try (var in = Files.newBufferedReader(home.resolve("database.properties"))) {
            db.load(in);
        }
        String role = "chaser_" + as + dbSuffix;
        String password = Files.readString(home.resolve("keys/db-" + role + ".password")).strip();
        return DriverManager.getConnection("jdbc:postgresql://" + db.getProperty("host") + ":" + db.getProperty("port")
                + "/chaser_" + service + dbSuffix, role, password);
    }

    String apiUrl() {
        return "http://127.0.0.1:" + portBase;
    }

    /** Stops everything it runs, its sandboxes included, and drops its databases. */
    void remove() throws Exception {
        run("down", "--destroy-sandboxes");
        dropDatabases();
    }

    /** Drops this installation's databases when they live on a shared server. */
    void dropDatabases() throws Exception {
        Path remembered = home.resolve("database.properties");
        if (!Files.exists(remembered)) {
            return;
        }
        Properties db = new Properties();
        try (var in = Files.newBufferedReader(remembered)) {
            db.load(in);
        }
        if ("embedded".equals(db.getProperty("mode"))) {
            return;
        }
        String url = "jdbc:postgresql://" + db.getProperty("host") + ":" + db.getProperty("port") + "/postgres";
        try (var c = DriverManager.getConnection(url, db.getProperty("user"), db.getProperty("password"));
                var s = c.createStatement()) {
            for (String service : List.of("account", "workspace", "session")) {
                s.execute("DROP DATABASE IF EXISTS chaser_" + service + dbSuffix + " WITH (FORCE)");
                s.execute("DROP ROLE IF EXISTS chaser_" + service + dbSuffix);
            }
        }
    }

    /** A base whose gateway, service and Kafka ports are all free now. */
    private static int freePortBase() throws IOException {
        for (int base = 28080; base < 40000; base += 100) {
            // each process's management port is its HTTP port + 50
            if (free(base, base + 1, base + 2, base + 3, base + 4, base + 5, base + 15, base + 25, base + 10, base + 11,
                    base + 12, base + 13,
                    base + 20, base + 21, base + 22, base + 23, base + 50, base + 51, base + 52, base + 53, base + 54,
                    base + 60, base + 61, base + 62, base + 63, base + 70, base + 71, base + 72, base + 73,
                    base + 103, base + 113, base + 123, base + 1012, base + 1013, base + 7352)) {
                return base;
            }
        }
        throw new IOException("no free port base found");
    }

    private static boolean free(int... ports) {
        for (int port : ports) {
            try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
                s.setReuseAddress(true);
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }
}
