package sh.chaser.common.startup;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.HttpServer;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import sh.chaser.common.persistence.PostgresUrls;

/** One line, last at start-up, that says what listens where and what the service depends on. */
@ApplicationScoped
public class StartupLine {

    private static final Logger LOG = Logger.getLogger(StartupLine.class);

    @Inject
    HttpServer httpServer;

    @ConfigProperty(name = "quarkus.application.name")
    String name;

    @ConfigProperty(name = "quarkus.http.host", defaultValue = "0.0.0.0")
    String host;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @ConfigProperty(name = "kafka.bootstrap.servers", defaultValue = "none")
    String kafka;

    void onStart(@Observes @Priority(5000) StartupEvent event) {
        // getPort() is the bound port in normal runs; tests run on quarkus.http.test-port instead.
        LOG.infof("%s listening on http://%s:%d (REST and gRPC; /q/health/ready, /q/metrics, /q/openapi); "
                + "database %s; kafka %s", name, host, httpServer.getPort(),
                PostgresUrls.withoutCredentials(jdbcUrl), kafka);
    }
}
