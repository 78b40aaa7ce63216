package sh.chaser.agent.api;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import jakarta.enterprise.context.ApplicationScoped;
import sh.chaser.contracts.InternalTls;

/**
 * With internal TLS configured, the agent's port completes no TLS handshake without a client
 * certificate of the installation's CA. Set here, at run time: Quarkus' own
 * {@code quarkus.http.ssl.client-auth} is fixed at build time and would also install an mTLS
 * authentication mechanism beside the agent's own checks.
 */
@ApplicationScoped
public class ClientCertificatesRequired implements HttpServerOptionsCustomizer {

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        if (InternalTls.fromConfig().isPresent()) {
            options.setClientAuth(ClientAuth.REQUIRED);
        }
    }
}
