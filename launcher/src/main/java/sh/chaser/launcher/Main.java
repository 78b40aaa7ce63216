package sh.chaser.launcher;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;

/** {@code ./chaser up|down|status}: the whole platform on one machine. */
public final class Main {

    static final String HELP = """
            Usage: ./chaser <command> [options]

            Runs the whole Chaser platform on this machine: PostgreSQL, a Kafka broker, account-,
            workspace- and session-service, one vm-agent and the api-gateway, each its own process.

            Commands:
              up              build what is stale, start everything not yet running, wait until every
                              process is ready, print CHASER_API_URL and the first API key
              up --replicas N run N instances (1-8) of account-, workspace-, session-service and
                              the api-gateway behind a TCP balancer on their usual ports, as a
                              cluster runs replicas behind Services (instance i on port + 10*i;
                              one vm-agent per host); remembered until the next --replicas
              up --runtime R  how the vm-agent runs sessions: auto (microVMs where KVM is usable, else
                              namespaces), namespace, qemu (microVMs; under TCG without KVM: slow
                              but real) or firecracker; remembered until the next --runtime
              up --infra-only start only PostgreSQL (when embedded) and Kafka; print how to reach them
              down            stop every process this installation started, waiting for each; sandboxes
                              and what runs in them keep running, and the next up adopts them
              down --destroy-sandboxes
                              the same, and the vm-agent destroys every sandbox before it stops
              status          each process, its pid, port and readiness
              certs rotate    issue every process of the internal plane a new key and certificate
                              (same CA, in CHASER_HOME/tls); running servers take theirs within 30 s,
                              clients at their next start; no restart needed (agents renew theirs
                              by joining again at start, when it expires within 10 days)
              hosts join-token
                              print the installation's host join token and how a vm-agent on another
                              machine joins with it (it gets its certificate from session-service)
              test            run every test: installs the host tools the tests need (as root), starts
                              a Kafka broker for them, validates deploy/, then ./mvnw -B verify
              test --no-root  every test that does not need root, as any user; says how many
                              root-only tests (JUnit tag "root") were left out (./chaser test --help)
              help            this text

            The API's client (cli/README.md; each with --help):
              login           remember the API URL and a key (or sign in with a password)
              sandbox         boot a sandbox session and print its id
              shell           an interactive terminal in a sandbox
              exec            run a command in a sandbox, exit with its exit code
              upload, download
                              copy a file into or out of a sandbox session
              teleport        copy a local folder into a sandbox
              forward         serve a sandbox's port on this machine's loopback
              sessions        list, get, terminate sessions
              workspaces      list, create, rename, template, import, delete; snapshots
              keys, accounts, audit, webhooks
                              as the API
              mcp serve       MCP over stdio, bridged to the platform's /v1/mcp

            Environment:
              CHASER_HOME       state, logs and pid files (default: .chaser in the repository)
              CHASER_PORT_BASE  gateway port; services use base+1..base+4, Kafka base+1012,
                                an embedded PostgreSQL base+7352 (default: 8080)
              CHASER_DB_URL     postgresql://user:password@host:port of the server to use; without it
                                one on 127.0.0.1:5432 that accepts postgres/postgres, else an embedded one
              CHASER_DB_SUFFIX  appended to the database names (chaser_account<suffix>, ...)
              CHASER_JAVA_OPTS  JVM flags appended to every service's (account-, workspace- and
                                session-service run C1-only by default; -XX:TieredStopAtLevel=4
                                gives them C2 back)

            Data lives in CHASER_HOME and the databases; `up` after `down` keeps it.
            """;

    private Main() {}

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "help" : args[0];
        List<String> options = List.of(args).subList(Math.min(1, args.length), args.length);
        Map<String, String> env = System.getenv();
        Settings settings = Settings.fromEnvironment(env);
        int exit = switch (command) {
            case "up" -> {
                Settings chosen = replicas(settings, env, options);
                yield chosen == null || !AgentRuntime.choose(settings, options)
                        ? 2
                        : new Up(chosen, env, options.contains("--infra-only")).run();
            }
            case "down" -> new Down(settings, env, options.contains("--destroy-sandboxes")).run();
            case "status" -> new Status(settings, env).run();
            case "certs" -> rotateCertificates(settings, env, options);
            case "hosts" -> new JoinToken(settings).print(options);
            case "help", "--help", "-h" -> {
                System.out.print(HELP);
                yield 0;
            }
            default -> {
                System.err.print("unknown command: " + command + "\n\n" + HELP);
                yield 2;
            }
        };
        System.exit(exit);
    }

    private static int rotateCertificates(Settings settings, Map<String, String> env, List<String> options)
            throws java.io.IOException {
        if (!options.equals(List.of("rotate"))) {
            System.err.println("usage: ./chaser certs rotate");
            return 2;
        }
        Platform platform = platform(settings, env);
        platform.certificates().rotate(platform.identities());
        System.out.println("Chaser: new certificates for " + String.join(", ", platform.identities()) + " in "
                + settings.home().resolve("tls") + "; servers read theirs within " + InternalCertificates.RELOAD);
        return 0;
    }

    /** The settings with {@code --replicas N} applied, or null (after saying why) when it cannot be. */
    private static Settings replicas(Settings settings, Map<String, String> env, List<String> options)
            throws java.io.IOException {
        int at = options.indexOf("--replicas");
        if (at < 0) {
            return settings;
        }
        int n;
        try {
            n = Integer.parseInt(at + 1 < options.size() ? options.get(at + 1) : "");
        } catch (NumberFormatException e) {
            n = 0;
        }
        if (n < 1 || n > Settings.MAX_REPLICAS) {
            System.err.println("--replicas takes a number from 1 to " + Settings.MAX_REPLICAS);
            return null;
        }
        if (n != settings.replicas() && Files.exists(settings.home().resolve("database.properties"))) {
            Supervisor supervisor = new Supervisor(settings);
            for (Component c : platform(settings, env).services()) {
                if (supervisor.running(c.name()).isPresent()) {
                    System.err.println("Chaser runs with " + settings.replicas() + " replica(s); ./chaser down first, "
                            + "then ./chaser up --replicas " + n);
                    return null;
                }
            }
        }
        return settings.withReplicas(n);
    }

    /** The platform of an existing installation (down, status): nothing is chosen or written. */
    static Platform platform(Settings settings, Map<String, String> env) throws java.io.IOException {
        return platform(settings, Database.known(settings, env));
    }

    static Platform platform(Settings settings, Database database) {
        return new Platform(settings, database, java(), System.getProperty("java.class.path"));
    }

    /** The java that runs the launcher runs every process it starts. */
    static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }
}
