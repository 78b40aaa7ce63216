package sh.chaser.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A second machine for a platform: one more vm-agent in a network namespace of its own (its own
 * interfaces, routes, taps and firewall, as on another machine), joined with the installation's host
 * join token like an operator's agent on another machine ({@code ./chaser hosts join-token}), reached
 * by the services at its own address over a veth pair. It reaches session-service's ports on its
 * loopback through socat (the services listen on the platform host's loopback only). Its own data
 * directory, disk store and host id; the same kernel and image cache as the first host. Root only;
 * {@link #close} stops it, destroys what it runs and removes the namespace.
 */
final class SecondHost implements AutoCloseable {

    private static final int PORT = 8084;
    private static final int MANAGEMENT = 8134;
    final String hostId;
    private final LocalPlatform platform;
    private final String netns;
    private final String link;
    private final String prefix;
    private final Path dir;
    private Process agent;

    SecondHost(LocalPlatform platform) throws Exception {
        this.platform = platform;
        byte[] random = new byte[2];
        new SecureRandom().nextBytes(random);
        String tag = HexFormat.of().formatHex(random);
        hostId = "e2e-second-" + tag;
        netns = "chaser-e2e-h" + tag;
        link = "ch2" + tag;
        prefix = "10.251." + (random[0] & 0xff) + ".";
        // short: QEMU's sockets live under it, and a Unix socket's path has at most 107 bytes
        dir = Path.of("/tmp/chaser-e2e-h" + tag);
        Files.createDirectories(dir.resolve("tls"));
        sh("ip netns add " + netns + " && ip link add " + link + "a type veth peer name " + link + "b"
                + " && ip link set " + link + "b netns " + netns + " && ip addr add " + prefix + "1/30 dev " + link
                + "a && ip link set " + link + "a up && ip netns exec " + netns + " sh -c 'ip addr add " + prefix
                + "2/30 dev " + link + "b && ip link set " + link + "b up && ip link set lo up && ip route add"
                + " default via " + prefix + "1'");
        // this JVM's network namespace, by name, for the forwarders to connect back into
        sh("touch /run/netns/" + netns + "-up && mount --bind /proc/" + ProcessHandle.current().pid() + "/ns/net"
                + " /run/netns/" + netns + "-up");
        for (int port : List.of(platform.sessionPort(), platform.joinPort())) {
            new ProcessBuilder("ip", "netns", "exec", netns, "socat", "TCP-LISTEN:" + port
                    + ",bind=127.0.0.1,fork,reuseaddr",
                    "EXEC:ip netns exec " + netns + "-up socat STDIO TCP\\:127.0.0.1\\:"
                            + port)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("socat-" + port + ".log").toFile())
                    .start();
        }
        Files.copy(platform.hostJoinToken(), dir.resolve("join.token"));
    }

    /** Starts its agent (qemu microVMs only) and waits until it has joined and registered. */
    SecondHost start() throws Exception {
        Path home = platform.home;
        Map<String, String> env = new java.util.LinkedHashMap<>();
        env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        env.put("HOME", "/root");
        env.put("QUARKUS_PROFILE", "prod,internal-tls");
        env.put("CHASER_HOST_ID", hostId);
        env.put("CHASER_HOST_JOIN_TOKEN_FILE", dir.resolve("join.token").toString());
        env.put("CHASER_JOIN_URL", "https://127.0.0.1:" + platform.joinPort());
        env.put("CHASER_JOIN_ADDRESS", prefix + "2");
        env.put("CHASER_SESSION_SERVICE_HOST", "127.0.0.1");
        env.put("CHASER_SESSION_SERVICE_PORT", Integer.toString(platform.sessionPort()));
        env.put("CHASER_TLS_CA", home.resolve("tls/ca.crt").toString());
        env.put("CHASER_TLS_CERT", dir.resolve("tls/agent.crt").toString());
        env.put("CHASER_TLS_KEY", dir.resolve("tls/agent.key").toString());
        env.put("CHASER_TLS_RELOAD_PERIOD", "30s");
        env.put("CHASER_AGENT_CALLS_SECRET_FILE", platform.agentCallSecret().toString());
        env.put("CHASER_INTERNAL_JWT_PUBLIC_KEY", home.resolve("keys/internal-jwt-public.pem").toString());
        env.put("CHASER_AGENT_DATA_DIR", dir.resolve("agent").toString());
        env.put("CHASER_AGENT_RUNTIME", "qemu");
        env.put("CHASER_AGENT_ADVERTISE_ADDRESS", prefix + "2:" + PORT);
        env.put("CHASER_BIND_HOST", "0.0.0.0");
        env.put("CHASER_HTTP_PORT", Integer.toString(PORT));
        env.put("CHASER_MANAGEMENT_PORT", Integer.toString(MANAGEMENT));
        env.put("CHASER_HOME", dir.toString());
        env.put("CHASER_REPO", platform.repo.toString());
        StringBuilder command = new StringBuilder();
        // its own mount namespace with the network namespace's own /sys/class/net (its interfaces, as
        // the agent reads them); the rest of /sys, the cgroups with it, is the host's, as on a machine
        Path sys = dir.resolve("sys");
        Files.createDirectories(sys);
        command.append("mount -t sysfs sysfs ").append(sys).append(" && mount --bind ").append(sys)
                .append("/class/net /sys/class/net && mount --bind ").append(sys)
                .append("/devices/virtual/net /sys/devices/virtual/net && exec env -i");
        env.forEach((k, v) -> command.append(' ').append(k).append("='").append(v).append('\''));
        command.append(' ').append(ProcessHandle.current().info().command().orElse("java"))
                .append(" -Dchaser.process=vm-agent-").append(hostId).append(" -Xms64m -Xmx384m -XX:+UseSerialGC -jar ")
                .append(platform.repo.resolve("vm-agent/target/quarkus-app/quarkus-run.jar"));
        agent = new ProcessBuilder("nsenter", "--net=/run/netns/" + netns, "unshare", "-m", "--propagation", "slave",
                "sh", "-c", command.toString())
                .directory(platform.repo.toFile()).redirectErrorStream(true)
                .redirectOutput(platform.home.resolve("logs/vm-agent-" + hostId + ".log").toFile()).start();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        var ready = HttpRequest.newBuilder(URI.create("http://" + prefix + "2:" + MANAGEMENT + "/q/health/ready"))
                .timeout(Duration.ofSeconds(5)).build();
        Await.until(() -> {
            if (!agent.isAlive()) {
                throw new AssertionError("the second host's agent exited: see logs/vm-agent-" + hostId + ".log");
            }
            try {
                return http.send(ready, HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
            } catch (IOException notYet) {
                return false;
            }
        }, 240, "the second host's agent joined and registered");
        return this;
    }

    @Override
    public void close() throws Exception {
        if (agent != null && agent.isAlive()) {
            Files.writeString(dir.resolve("agent/destroy-sandboxes-on-stop"), "");
            agent.destroy();
            if (!agent.waitFor(90, TimeUnit.SECONDS)) {
                agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        quietly("pkill -f 'socat TCP-LISTEN:.*" + netns + "-up' ; pkill -f 'ip netns exec " + netns + "-up'");
        quietly("umount /run/netns/" + netns + "-up; rm -f /run/netns/" + netns + "-up");
        quietly("ip netns delete " + netns + "; ip link delete " + link + "a");
        quietly("rm -rf " + dir); // its mounts lived in the agent's own mount namespace, gone with it
    }

    private static void sh(String script) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("failed (" + out.strip() + "): " + script);
        }
    }

    private static void quietly(String script) {
        try {
            new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start().waitFor(30, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            // best effort: a leftover namespace does not outlive the machine's next cleanup
        }
    }
}
