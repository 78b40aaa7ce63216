package sh.chaser.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Starts what is not running yet and waits, with a line per process, until all are ready. */
final class Up {

    private static final long TIMEOUT_MS = 180_000;

    private final Settings settings;
    private final Map<String, String> env;
    private final boolean infraOnly;

    Up(Settings settings, Map<String, String> env, boolean infraOnly) {
        this.settings = settings;
        this.env = env;
        this.infraOnly = infraOnly;
    }

    int run() throws Exception {
        Database database = Database.choose(settings, env);
        Platform platform = Main.platform(settings, database);
        Supervisor supervisor = new Supervisor(settings);
        Files.createDirectories(settings.logs());
        System.out.println("Chaser: starting the local platform (state in " + settings.home() + ")");
        if (settings.replicas() > 1) {
            System.out.println("  replicas: " + settings.replicas() + " instances of each service behind a balancer on "
                    + "the services' ports (instance i on port + 10*i); one vm-agent");
        }
        System.out.println("  database: " + database.describe());
        platform.kafka().prepare(Main.java(), System.getProperty("java.class.path"));
        platform.keys().ensure();
        platform.certificates().ensure(platform.identities());
        if (!startAndWait(platform.infrastructure(), supervisor)) {
            return 1;
        }
        platform.kafka().createTopics();
        if (infraOnly) {
            System.out.println("CHASER_KAFKA_BOOTSTRAP=" + platform.kafka().bootstrapServers());
            // tests' clients (services under test, their fixtures) connect as the broker's admin identity
            platform.certificates().kafkaEnv(KafkaBroker.IDENTITY).entrySet().stream()
                    .sorted(Map.Entry.comparingByKey())
                    .forEach(e -> System.out.println(e.getKey() + "=" + e.getValue()));
            System.out.println("CHASER_DB_URL=postgresql://" + database.user() + ":" + database.password() + "@"
                    + database.host() + ":" + database.port());
            return 0;
        }
        platform.createServiceDatabases();
        SandboxTools.ensure();
        for (String module : List.of("account-service", "workspace-service", "session-service", "vm-agent",
                "api-gateway")) {
            if (!Files.exists(platform.runnable(module))) {
                System.err.println(module + " is not built: run ./chaser up from the repository (it builds), "
                        + "or ./mvnw package -DskipTests");
                return 1;
            }
        }
        if (!startAndWait(platform.services(), supervisor)) {
            return 1;
        }
        System.out.println("  sandboxes: " + SandboxHost.describe(settings.agentPort()));
        System.out.println("  ssh: ssh <workspace>@127.0.0.1 -p " + settings.sshPort()
                + " (with a key added at POST /v1/ssh-keys)");
        List<String> credentials = Credentials.collect(settings);
        Credentials.value(credentials, "CHASER_API_KEY")
                .ifPresent(key -> System.out.println("  " + Warmup.run(settings.apiUrl(), key)));
        System.out.println();
        System.out.println("Chaser is up. Logs in " + settings.logs() + "; stop with ./chaser down.");
        AgentRuntime.describe(settings).ifPresent(System.out::println);
        if (credentials.isEmpty()) {
            System.out.println("No credentials on file (" + settings.localEnv() + " was removed): sign in as the "
                    + "administrator or create a key with an existing one.");
            System.out.println("CHASER_API_URL=" + settings.apiUrl());
        } else {
            System.out.println("Credentials are also in " + settings.localEnv() + " (owner-only):");
            System.out.println();
            credentials.forEach(System.out::println);
            System.out.println();
            System.out.println("Try: set -a; . " + settings.localEnv() + "; set +a; curl -H \"Authorization: Bearer "
                    + "$CHASER_API_KEY\" $CHASER_API_URL/v1/accounts/current");
        }
        return 0;
    }

    private boolean startAndWait(List<Component> components, Supervisor supervisor) throws IOException,
            InterruptedException {
        long start = System.currentTimeMillis();
        List<Component> waiting = new ArrayList<>();
        for (Component c : components) {
            if (supervisor.running(c.name()).isPresent()) {
                System.out.printf("  = %-20s already running%n", c.name());
            } else {
                supervisor.start(c);
            }
            waiting.add(c);
        }
        while (!waiting.isEmpty()) {
            for (Component c : List.copyOf(waiting)) {
                if (c.ready().getAsBoolean()) {
                    System.out.printf("  ✓ %-20s ready on 127.0.0.1:%-6d %5.1f s%n", c.name(), c.port(),
                            (System.currentTimeMillis() - start) / 1000.0);
                    waiting.remove(c);
                } else if (supervisor.running(c.name()).isEmpty()) {
                    return failed(c, supervisor, "exited");
                }
            }
            if (System.currentTimeMillis() - start > TIMEOUT_MS) {
                return failed(waiting.get(0), supervisor, "not ready after " + TIMEOUT_MS / 1000 + " s");
            }
            Thread.sleep(250);
        }
        return true;
    }

    private static boolean failed(Component c, Supervisor supervisor, String why) throws IOException {
        System.err.printf("  ✗ %-20s %s; last lines of %s:%n", c.name(), why, supervisor.logFile(c.name()));
        List<String> lines = Files.exists(supervisor.logFile(c.name()))
                ? Files.readAllLines(supervisor.logFile(c.name()))
                : List.of();
        lines.subList(Math.max(0, lines.size() - 30), lines.size()).forEach(l -> System.err.println("    " + l));
        System.err.println("Processes already started keep running; ./chaser down stops them.");
        return false;
    }
}
