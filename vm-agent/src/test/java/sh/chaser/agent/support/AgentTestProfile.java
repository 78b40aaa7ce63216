package sh.chaser.agent.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * One agent for the sandbox tests: real namespace runtime, no session-service to register with, a
 * git server on loopback for imports.
 */
public class AgentTestProfile implements QuarkusTestProfile {

    public static final String HOST_ID = "agent-test";
    public static final long CAP_BYTES = 64L << 20;
    public static final String DENIED_CIDR = "10.250.0.0/24";
    /** Short, so a test sees a refused boot; still far above a destroy's duration here. */
    public static final String DISK_RELEASE_WAIT = "4s";

    @Override
    public java.util.List<TestResourceEntry> testResources() {
        return java.util.List.of(new TestResourceEntry(GitDaemon.class));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("chaser.agent-calls.secret-file", TestAgentCalls.secretFile()),
                Map.entry("quarkus.grpc.clients.session-service.port", "1"),
                Map.entry("quarkus.grpc.clients.session-service.test-port", "1"),
                Map.entry("chaser.agent.host-id", HOST_ID),
                Map.entry("chaser.agent.data-dir", "target/agent-test-data"),
                Map.entry("chaser.agent.runtime", "namespace"),
                Map.entry("chaser.agent.reconcile-interval", "500ms"),
                Map.entry("chaser.agent.disk-release-wait", DISK_RELEASE_WAIT),
                Map.entry("chaser.agent.stop-sandboxes-on-shutdown", "true"),
                Map.entry("chaser.agent.disks.cap-bytes", Long.toString(CAP_BYTES)),
                // SandboxIsolationTest's neighbour networks: 10.250.0.0/24 stands for a cluster's range
                Map.entry("chaser.agent.network.deny-cidrs", DENIED_CIDR));
    }
}
