package sh.chaser.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The flags of a service's JVM. Every one gets a small heap and the serial collector. The control-plane
 * services (accounts, workspaces, sessions) compile with C1 only: their work per request is short framework
 * code, and on a 2-core host C2 compiling it took more CPU than the requests themselves for the first
 * minutes after start (docs/benchmarks.md). The gateway and the vm-agent, which carry the data plane,
 * keep both compilers. {@code CHASER_JAVA_OPTS} is appended to every service (a later flag wins).
 */
final class JvmOptions {

    static final Set<String> CONTROL_PLANE = Set.of("account-service", "workspace-service", "session-service");

    private JvmOptions() {}

    static List<String> of(String module, Map<String, String> env) {
        List<String> flags = new ArrayList<>(List.of("-Xms64m", "-Xmx384m", "-XX:+UseSerialGC"));
        if (CONTROL_PLANE.contains(module)) {
            flags.add("-XX:TieredStopAtLevel=1");
        }
        String extra = env.getOrDefault("CHASER_JAVA_OPTS", "").trim();
        if (!extra.isEmpty()) {
            flags.addAll(List.of(extra.split("\\s+")));
        }
        return flags;
    }
}
