package sh.chaser.gateway;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

@ApplicationScoped
public class StartupLine {

    private static final Logger LOG = Logger.getLogger(StartupLine.class);

    @ConfigProperty(name = "quarkus.http.host")
    String host;
    @ConfigProperty(name = "quarkus.http.port")
    int port;
    @ConfigProperty(name = "quarkus.grpc.clients.account-service.host")
    String accountHost;
    @ConfigProperty(name = "quarkus.grpc.clients.account-service.port")
    int accountPort;

    void onStart(@Observes StartupEvent event) {
        LOG.infof("api-gateway listening on http://%s:%d (public API /v1, /q/health/ready, /q/metrics, /q/openapi); "
                + "account-service at %s:%d", host, port, accountHost, accountPort);
    }
}
