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

    @Override
    public java.util.List<TestResourceEntry> testResources() {
        return java.util.List.of(new TestResourceEntry(GitDaemon.class));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "chaser.agent-calls.secret-file", TestAgentCalls.secretFile(),
                "quarkus.grpc.clients.session-service.port", "1",
                "quarkus.grpc.clients.session-service.test-port", "1",
                "chaser.agent.host-id", HOST_ID,
                "chaser.agent.data-dir", "target/agent-test-data",
                "chaser.agent.runtime", "namespace",
                "chaser.agent.reconcile-interval", "500ms",
                "chaser.agent.stop-sandboxes-on-shutdown", "true",
                "chaser.agent.disks.cap-bytes", Long.toString(CAP_BYTES),
                // SandboxIsolationTest's neighbour networks: 10.250.0.0/24 stands for a cluster's range
                "chaser.agent.network.deny-cidrs", DENIED_CIDR);
    }
}
