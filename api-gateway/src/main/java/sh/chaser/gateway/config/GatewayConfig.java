package sh.chaser.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "chaser.gateway")
public interface GatewayConfig {

    Service account();

    Service workspace();

    Service session();

    /** How long an authenticated token is trusted without asking account-service again. */
    @WithDefault("5s")
    Duration authCacheTtl();

    /** Lifetime of the internal JWTs the gateway signs for services. */
    @WithDefault("60s")
    Duration internalTokenTtl();

    /** How long a forwarded request may wait for a service's answer. */
    @WithDefault("60s")
    Duration backendTimeout();

    interface Service {
        @WithDefault("127.0.0.1")
        String host();

        int port();
    }
}
