package sh.chaser.account.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

@ConfigMapping(prefix = "chaser.account")
public interface AccountConfig {

    Bootstrap bootstrap();

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
