package sh.chaser.session.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "chaser.session")
public interface SessionConfig {

    Hosts hosts();

    interface Hosts {
        /** How often vm-agents are told to heartbeat. */
        @WithDefault("5")
        int heartbeatIntervalSeconds();

        /** A host not heard from for this long is no longer offered for placement. */
        @WithDefault("30")
        int lostAfterSeconds();
    }
}
