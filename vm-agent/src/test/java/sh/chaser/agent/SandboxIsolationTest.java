package sh.chaser.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import sh.chaser.agent.support.AgentTestProfile;
import sh.chaser.agent.support.SandboxHost;
import sh.chaser.agent.support.SandboxTest;
import sh.chaser.testhost.NeighbourHost;

/** What a sandbox must not see or reach: the host's processes, files and ports, and other sandboxes. */
@QuarkusTest
@TestProfile(AgentTestProfile.class)
@SandboxHost
class SandboxIsolationTest extends SandboxTest {

    /** exit status of `timeout` when the command had to be stopped: a dropped (not refused) connection */
    private static final int TIMED_OUT = 124;

    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Test
    void aSandboxSeesNoHostProcess() {
        String id = boot();
        var ps = in(id, "ps -eo pid,comm --no-headers");
        assertThat(ps.exit()).isZero();
        assertThat(ps.output()).doesNotContain("java").doesNotContain("postgres").doesNotContain("systemd");
        assertThat(ps.output().lines().filter(line -> !line.isBlank()).count()).isLessThanOrEqualTo(5);
        assertThat(in(id, "cat /proc/1/comm").output().strip()).isEqualTo("chaser-init");
    }

    @Test
    void aSandboxReadsNoHostFileOutsideItsMounts() throws IOException {
        Path marker = Path.of("/var/tmp/chaser-marker-" + UUID.randomUUID());
        Files.writeString(marker, "host secret");
        try {
            String id = boot();
            assertThat(in(id, "cat " + marker).exit()).isNotZero();
            assertThat(in(id, "ls -A /root /home /var/tmp").output()).doesNotContain("chaser-marker");
            assertThat(in(id, "ls " + Path.of("").toAbsolutePath()).exit()).isNotZero();
            assertThat(in(id, "ls /sys/fs/cgroup").exit()).isNotZero();
            assertThat(in(id, "touch /usr/bin/planted").output()).contains("Read-only file system");
            assertThat(in(id, "touch /workspace/mine && echo written").output()).contains("written");
        } finally {
            Files.delete(marker);
        }
    }

    @Test
    void aSandboxReachesNoPortOfTheHost() throws IOException {
        String id = boot();
        try (ServerSocket listener = new ServerSocket()) {
            listener.bind(new InetSocketAddress("0.0.0.0", 0));
            int port = listener.getLocalPort();
            String hostSide = hostAddress(id);
            // control: the listener is reachable from the host on the address the sandbox would use
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(hostSide, port), 2000);
            }
            assertThat(in(id, "timeout 3 bash -c '</dev/tcp/127.0.0.1/5432'").exit()).isNotZero();
            assertThat(in(id, "timeout 3 bash -c '</dev/tcp/127.0.0.1/" + base.getPort() + "'").exit()).isNotZero();
            // nor the agent's management port (health, metrics), which answers on the host (control)
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(management.getHost(), management.getPort()), 2000);
            }
            assertThat(in(id, "timeout 3 bash -c '</dev/tcp/127.0.0.1/" + management.getPort() + "'").exit())
                    .isNotZero();
            assertThat(in(id, "timeout 2 bash -c '</dev/tcp/" + hostSide + "/" + management.getPort() + "'").exit())
                    .isNotZero();
            assertThat(in(id, "timeout 2 bash -c '</dev/tcp/" + hostSide + "/" + port + "'").exit())
                    .isEqualTo(TIMED_OUT);
            assertThat(in(id, "timeout 2 bash -c '</dev/tcp/" + hostSide + "/5432'").exit()).isEqualTo(TIMED_OUT);
            String external = externalAddress();
            assertThat(in(id, "timeout 2 bash -c '</dev/tcp/" + external + "/" + port + "'").exit())
                    .isEqualTo(TIMED_OUT);
        }
    }

    @Test
    void sandboxesSeeNeitherEachOthersFilesNorProcessesNorPorts() throws IOException {
        String a = boot();
        String b = boot();
        assertThat(in(a, "echo mine > /workspace/a-secret; (sleep 613 </dev/null >/dev/null 2>&1 &); "
                + "(python3 -m http.server 8613 --bind 0.0.0.0 </dev/null >/dev/null 2>&1 &); "
                + "for i in $(seq 100); do (</dev/tcp/127.0.0.1/8613) 2>/dev/null && echo serving && break; sleep 0.1; done")
                .output()).contains("serving");
        assertThat(in(a, "ps -eo args").output()).contains("sleep 613");

        assertThat(in(b, "ls -A /workspace").output()).doesNotContain("a-secret");
        assertThat(in(b, "ps -eo args").output()).doesNotContain("sleep 613").doesNotContain("http.server");
        String aAddress = sandboxAddress(a);
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress(aAddress, 8613), 2000); // control: the server answers the host
        }
        assertThat(in(b, "timeout 2 bash -c '</dev/tcp/" + aAddress + "/8613'").exit()).isEqualTo(TIMED_OUT);
    }

    /**
     * Egress is on, but not to the denied ranges (on Kubernetes the cluster's pods and services):
     * two neighbour hosts, each a network namespace of its own behind a veth of this host, one in
     * {@link AgentTestProfile#DENIED_CIDR} and one outside it, serve the same port.
     */
    @Test
    void aSandboxReachesOtherNetworksButNoneOfTheDeniedRanges() throws Exception {
        try (NeighbourHost denied = new NeighbourHost("chtest-den", "10.250.0");
                NeighbourHost allowed = new NeighbourHost("chtest-ok", "10.251.0")) {
            String id = boot();
            // control: both serve, seen from this host
            assertThat(denied.serving() && allowed.serving()).isTrue();
            assertThat(
                    in(id, "timeout 3 bash -c '</dev/tcp/" + allowed.address() + "/" + NeighbourHost.PORT + "'").exit())
                    .isZero();
            assertThat(
                    in(id, "timeout 2 bash -c '</dev/tcp/" + denied.address() + "/" + NeighbourHost.PORT + "'").exit())
                    .isEqualTo(TIMED_OUT);
        }
    }

    private String slot(String id) {
        return sandboxes.get(id).orElseThrow().handle().resource("net_slot");
    }

    private String hostAddress(String id) {
        return "10.213." + (Integer.parseInt(slot(id)) * 4 / 256) + "." + (Integer.parseInt(slot(id)) * 4 % 256 + 1);
    }

    private String sandboxAddress(String id) {
        return "10.213." + (Integer.parseInt(slot(id)) * 4 / 256) + "." + (Integer.parseInt(slot(id)) * 4 % 256 + 2);
    }

    private static String externalAddress() throws IOException {
        for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
            if (nic.isUp() && !nic.isLoopback() && !nic.getName().startsWith("chv")) {
                for (var address : nic.getInetAddresses().asIterator().next() == null
                        ? List.<java.net.InetAddress>of()
                        : nic.inetAddresses().toList()) {
                    if (address instanceof Inet4Address) {
                        return address.getHostAddress();
                    }
                }
            }
        }
        throw new AssertionError("the host has no external IPv4 address to test against");
    }
}
