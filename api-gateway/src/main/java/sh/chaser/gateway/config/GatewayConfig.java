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

    DataPlane dataPlane();

    Ssh ssh();

    /** The SSH gateway: {@code ssh <workspace>@host -p <port>} with a key added at /v1/ssh-keys. */
    interface Ssh {

        /** Off: no SSH port is opened. */
        @WithDefault("true")
        boolean enabled();

        /** 0: any free port (tests). */
        @WithDefault("2222")
        int port();

        /** The host key (made on first start, kept: clients remember it); every instance needs the same one. */
        @WithDefault(".chaser/keys/ssh-host-key")
        String hostKey();

        /** How long a workspace's sandbox may take to boot before the connection is told to retry. */
        @WithDefault("180s")
        Duration bootTimeout();
    }

    /** Sessions' data plane (exec, PTY, files, forwarding) through the gateway to their vm-agent. */
    interface DataPlane {

        /** Lifetime of a connect token ({@code POST /v1/sessions/{id}/connect-token}); at most 60 s is used. */
        @WithDefault("60s")
        Duration connectTokenTtl();

        /**
         * The secret connect tokens are signed with; every gateway instance needs the same one.
         * Unset: derived from the internal JWT signing key, which all instances share.
         */
        java.util.Optional<String> connectTokenSecret();

        /** How long where a session runs is remembered. */
        @WithDefault("2s")
        Duration locationCacheTtl();

        /**
         * How long a located session is still served from where it was while session-service does
         * not answer (it restarts): the data plane outlives a control-plane restart.
         */
        @WithDefault("10m")
        Duration locationFallback();

        /** WebSocket pings to clients of PTYs and forwarded WebSockets, so idle ones survive proxies. */
        @WithDefault("20s")
        Duration keepalive();

        /**
         * A foreground exec still running after this long takes a connection lease (a terminate
         * without force is then refused); shorter ones never touch session-service.
         */
        @WithDefault("50ms")
        Duration execLeaseAfter();
    }

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
