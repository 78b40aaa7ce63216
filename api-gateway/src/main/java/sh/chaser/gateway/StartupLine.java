package sh.chaser.gateway;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import sh.chaser.gateway.config.GatewayConfig;

@ApplicationScoped
public class StartupLine {

    private static final Logger LOG = Logger.getLogger(StartupLine.class);

    @ConfigProperty(name = "quarkus.http.host")
    String host;
    @ConfigProperty(name = "quarkus.http.port")
    int port;
    @ConfigProperty(name = "quarkus.management.port")
    int management;
    @Inject
    GatewayConfig config;

    void onStart(@Observes StartupEvent event) {
        LOG.infof("api-gateway listening on http://%s:%d (public API /v1), management on port %d "
                + "(/q/health/ready, /q/metrics; never route it publicly); account-service at %s:%d, "
                + "workspace-service at %s:%d, session-service at %s:%d", host, port, management,
                config.account().host(), config.account().port(), config.workspace().host(), config.workspace().port(),
                config.session().host(), config.session().port());
    }
}
