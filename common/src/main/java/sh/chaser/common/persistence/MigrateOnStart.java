package sh.chaser.common.persistence;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

/**
 * Every service owns one database: create it if missing, then apply its Flyway migrations,
 * before anything else observes start-up. Quarkus' own migrate-at-start is off because it
 * cannot create the database first.
 */
@ApplicationScoped
public class MigrateOnStart {

    /** Runs before the default observers (priority 2500) so beans that read tables find them. */
    public static final int PRIORITY = 100;

    private static final Logger LOG = Logger.getLogger(MigrateOnStart.class);

    @Inject
    Flyway flyway;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @ConfigProperty(name = "quarkus.datasource.username")
    String user;

    @ConfigProperty(name = "quarkus.datasource.password", defaultValue = "")
    String password;

    void onStart(@Observes @Priority(PRIORITY) StartupEvent event) throws Exception {
        if (PostgresDatabases.createIfMissing(jdbcUrl, user, password)) {
            LOG.infof("Created database %s", PostgresUrls.withoutCredentials(jdbcUrl));
        }
        var result = flyway.migrate();
        LOG.infof("Database schema at version %s (%d migration(s) applied now)",
                flyway.info().current() == null ? "none" : flyway.info().current().getVersion(),
                result.migrationsExecuted);
    }
}
