package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

/**
 * One running platform for every test class that only uses the API (not its lifecycle): started
 * on first use, stopped and its databases dropped when the test JVM exits.
 */
final class SharedPlatform {

    static final String REPLICAS = System.getProperty("chaser.e2e.replicas", "2");

    private static LocalPlatform platform;
    private static Map<String, String> printed;
    private static LoopbackGit git;

    private SharedPlatform() {}

    static synchronized LocalPlatform get() throws Exception {
        if (platform == null) {
            LocalPlatform p = new LocalPlatform();
            // GitHub imports come from a git server on loopback; interrupted disk work is finished soon
            git = LoopbackGit.start();
            p.env.put("CHASER_GIT_BASE_URL", git.baseUrl);
            p.env.put("CHASER_WORKSPACE_RECONCILE_STALE_AFTER", "10s");
            // sizes are read from the vm-agent at every reconcile pass (5 s), not every minute
            p.env.put("CHASER_WORKSPACE_RECONCILE_USAGE_INTERVAL", "1s");
            p.env.put("CHASER_WORKSPACE_RECONCILE_ORPHAN_AFTER", "3s");
            // a create interrupted by a crash is given up after 5 s; a host is lost after the
            // installation's default 30 s of silence (a vm-agent is away 15-25 s here across a restart
            // under load, and a restart must lose nothing: AgentRestartIT)
            p.env.put("CHASER_SESSION_RECONCILE_STALE_AFTER", "5s");
            p.env.put("CHASER_SESSION_HOSTS_HEARTBEAT_INTERVAL_SECONDS", "1");
            p.env.put("CHASER_SESSION_HOST_LOST_AFTER_SECONDS", "30");
            // room for the 20 concurrent creates of SessionRecoveryIT next to other tests' sessions
            p.env.put("CHASER_AGENT_SANDBOXES_MAX", "48");
            // an operator's egress exception inside the private ranges sandboxes never reach otherwise
            p.env.put("CHASER_AGENT_NETWORK_ALLOW_CIDRS", ContainmentIT.ALLOWED_NETWORK + ".0/24");
            // every disk, and every ephemeral sandbox's scratch space, holds 512 MiB (HostDataIT fills one)
            p.env.put("CHASER_AGENT_DISKS_CAP_BYTES", Long.toString(HostDataIT.CAP_BYTES));
            // background output caps small enough for ResourceBombsIT to flood them in seconds
            p.env.put("CHASER_AGENT_DEFAULTS_COMMAND_OUTPUT_BYTES",
                    Long.toString(ResourceBombsIT.COMMAND_OUTPUT_BYTES));
            p.env.put("CHASER_AGENT_DEFAULTS_SESSION_OUTPUT_BYTES",
                    Long.toString(ResourceBombsIT.SESSION_OUTPUT_BYTES));
            // firewall rules someone removed are put back within seconds (30 s by default)
            p.env.put("CHASER_AGENT_NETWORK_FIREWALL_RECHECK", "2s");
            // webhook retries within seconds: 0.5 s, 1 s, 2 s, ...; an attempt times out after 2 s
            p.env.put("CHASER_ACCOUNT_WEBHOOKS_FIRST_RETRY", "500ms");
            p.env.put("CHASER_ACCOUNT_WEBHOOKS_MAX_RETRY", "2s");
            p.env.put("CHASER_ACCOUNT_WEBHOOKS_TIMEOUT", "2s");
            p.env.put("CHASER_ACCOUNT_WEBHOOKS_POLL_INTERVAL", "200ms");
            // every service runs as REPLICAS instances behind the launcher's balancer (2 unless
            // -Dchaser.e2e.replicas says otherwise): the suite proves they are stateless between requests
            LocalPlatform.Result up = p.run("up", "--replicas", REPLICAS);
            assertEquals(0, up.exit(), up.output());
            printed = up.variables();
            platform = p;
            // the last resort when the test run did not stop it (PlatformsStopped)
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    stop();
                } catch (Exception e) {
                    e.printStackTrace();
                }
            }));
        }
        return platform;
    }

    /** Stops it and drops its databases, when it was started. */
    static synchronized void stop() throws Exception {
        if (platform != null) {
            LocalPlatform p = platform;
            platform = null;
            p.remove();
        }
    }

    /** The shared platform when a test has started it (no start here). */
    static synchronized java.util.Optional<LocalPlatform> ifStarted() {
        return java.util.Optional.ofNullable(platform);
    }

    /** The git server the platform imports "GitHub" repositories from. */
    static synchronized LoopbackGit git() throws Exception {
        get();
        return git;
    }

    /** CHASER_API_URL, CHASER_API_KEY, CHASER_ADMIN_EMAIL, CHASER_ADMIN_PASSWORD as up printed them. */
    static synchronized Map<String, String> credentials() throws Exception {
        get();
        return printed;
    }
}
