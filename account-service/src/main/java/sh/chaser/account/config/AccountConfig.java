package sh.chaser.account.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

@ConfigMapping(prefix = "chaser.account")
public interface AccountConfig {

    Bootstrap bootstrap();

    Auth auth();

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
