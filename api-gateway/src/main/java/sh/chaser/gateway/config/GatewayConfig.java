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

    RateLimit rateLimit();

    /** Token buckets refilled every minute; a caller over either limit gets 429 rate_limited. */
    interface RateLimit {
        /** Requests per minute for one principal (a user or a service account). */
        @WithDefault("3000")
        long principalPerMinute();

        /** Requests per minute for one account, all its principals together. */
        @WithDefault("6000")
        long accountPerMinute();

        /** Requests per minute from one client address to the open routes (sign-in, JWKS). */
        @WithDefault("60")
        long anonymousPerMinute();
    }

    interface Service {
        @WithDefault("127.0.0.1")
        String host();

        int port();
    }
}
