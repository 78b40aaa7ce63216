package sh.chaser.agent.config;

import io.smallrye.config.WithDefault;
import io.smallrye.config.ConfigMapping;
import java.util.Optional;

@ConfigMapping(prefix = "chaser.agent")
public interface AgentConfig {

    /** This host's id in the registry; the machine's hostname when empty. */
    Optional<String> hostId();

    /**
     * The address session-service and the gateway use to reach this agent's gRPC API;
     * {@code <quarkus.http.host>:<quarkus.http.port>} when empty.
     */
    Optional<String> advertiseAddress();

    /** Where the agent keeps sandboxes' root filesystems and workspace disks. */
    @WithDefault(".chaser/agent")
    String dataDir();

    /** How many sandboxes this host runs at most. */
    @WithDefault("16")
    int sandboxesMax();

    /** Pause between registration attempts while session-service is unreachable. */
    @WithDefault("1")
    int registerRetrySeconds();
}
