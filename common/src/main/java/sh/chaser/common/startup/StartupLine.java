package sh.chaser.common.startup;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import sh.chaser.common.persistence.PostgresUrls;

/** One line, last at start-up, that says what listens where and what the service depends on. */
@ApplicationScoped
public class StartupLine {

    private static final Logger LOG = Logger.getLogger(StartupLine.class);

    @ConfigProperty(name = "quarkus.application.name")
    String name;

    @ConfigProperty(name = "quarkus.http.host", defaultValue = "0.0.0.0")
    String host;

    // The server binds after StartupEvent, so this is the configured port (tests use test-port).
    @ConfigProperty(name = "quarkus.http.port")
    int port;

    @ConfigProperty(name = "quarkus.management.port", defaultValue = "9000")
    int management;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @ConfigProperty(name = "kafka.bootstrap.servers", defaultValue = "none")
    String kafka;

    void onStart(@Observes @Priority(5000) StartupEvent event) {
        LOG.infof("%s listening on http://%s:%d (REST and gRPC), management on port %d "
                + "(/q/health/ready, /q/metrics, /q/openapi); database %s; kafka %s", name, host, port, management,
                PostgresUrls.withoutCredentials(jdbcUrl), kafka);
    }
}
