package sh.chaser.account.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

@ConfigMapping(prefix = "chaser.account")
public interface AccountConfig {

    Bootstrap bootstrap();

    Auth auth();

    Webhooks webhooks();

    Limits limits();

    /**
     * Emails of the installation's operators: they set any account's limits
     * ({@code /v1/admin/accounts/{id}/limits}). The bootstrap administrator always is one.
     */
    Optional<java.util.List<String>> operators();

    /** Defaults for every account without limits of its own. */
    interface Limits {

        /** Sessions creating or running at once. */
        @WithDefault("20")
        int concurrentSessions();

        /** Workspaces (not deleted). */
        @WithDefault("100")
        int workspaces();

        /** Bytes one workspace may hold; 10 GiB. The host's disk quota is the hard ceiling. */
        @WithDefault("10737418240")
        long workspaceStorageBytes();

        /** Bytes all of an account's workspaces may hold; 25 GiB. */
        @WithDefault("26843545600")
        long accountStorageBytes();

        /**
         * A running session with no open connection and no running command for this long ends
         * {@code idle_timeout}; 0 (the default) never ends one.
         */
        @WithDefault("0")
        long idleTimeoutSeconds();

        /**
         * What the idle timeout does: {@code terminate}, or {@code pause} (a microVM session is paused,
         * any other ends as with terminate).
         */
        @WithDefault("terminate")
        String idleAction();
    }

    interface Webhooks {

        /**
         * Development only: accept {@code http://} URLs and loopback receivers (the local launcher sets
         * it). Otherwise only {@code https://} to public addresses.
         */
        @WithDefault("false")
        boolean allowLoopback();

        /** Private networks (CIDR, e.g. 10.20.0.0/16) receivers may live in; none by default. */
        Optional<java.util.List<String>> allowedNetworks();

        /** An attempt that has not answered in this time failed. */
        @WithDefault("10s")
        java.time.Duration timeout();

        /** Delay before the second attempt; each further one doubles it (with ±20% jitter). */
        @WithDefault("10s")
        java.time.Duration firstRetry();

        /** Longest delay between two attempts. */
        @WithDefault("1h")
        java.time.Duration maxRetry();

        /** A delivery is retried this long after its event before it is given up (at least 24 h). */
        @WithDefault("72h")
        java.time.Duration retryFor();

        /** How often due deliveries are looked for. */
        @WithDefault("1s")
        java.time.Duration pollInterval();

        /** Attempts in flight at once, per instance. */
        @WithDefault("16")
        int concurrency();

        /**
         * Key (base64, 32 bytes) sealing the signing secrets at rest; without it a key is derived from
         * the access-token signing key. Changing it makes existing secrets unreadable.
         */
        Optional<String> sealingKey();
    }

    /**
     * External OpenID Connect issuers whose access tokens are accepted, by a name of your choice:
     * {@code chaser.account.oidc."google".issuer=https://accounts.google.com},
     * {@code ...jwks-uri=https://www.googleapis.com/oauth2/v3/certs}, {@code ...audience=<client id>}.
     */
    java.util.Map<String, OidcIssuer> oidc();

    interface OidcIssuer {

        /** Must equal the tokens' {@code iss}. */
        String issuer();

        /** Where the issuer publishes its signing keys (JWKS). */
        String jwksUri();

        /** Expected {@code aud}; unchecked when absent. */
        Optional<String> audience();
    }

    /** The platform's own access tokens, issued by local sign-in. */
    interface Auth {

        /** {@code iss} of the access tokens; the public API URL is a good value. */
        @WithDefault("chaser")
        String issuer();

        /** {@code aud} of the access tokens. */
        @WithDefault("chaser-api")
        String audience();

        /** PEM (PKCS#8) private key that signs access tokens. */
        String signingKey();

        /** PEM public key matching signing-key, published at /v1/auth/jwks. */
        String publicKey();

        @WithDefault("PT1H")
        java.time.Duration tokenTtl();
    }

    /** The first administrator, created on the first start of an empty database. */
    interface Bootstrap {

        /** Create the administrator when no user with its email exists. */
        @WithDefault("true")
        boolean enabled();

        /** Email of the administrator; also the name of their personal account. */
        @WithDefault("admin@chaser.local")
        String adminEmail();

        /**
         * Where the one-time credentials (password and API key) are written, readable by the owner
         * only. Without it nothing is created: secrets are never logged.
         */
        Optional<String> credentialsFile();
    }
}
