package sh.chaser.gateway.config;

import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.jboss.logging.Logger;
import sh.chaser.contracts.InternalTls;
import sh.chaser.relay.TlsEngine;

/** The gateway's HTTP clients to services and agents speak mutual TLS when internal TLS is configured. */
@ApplicationScoped
public class InternalClientTls {

    private static final Logger LOG = Logger.getLogger(InternalClientTls.class);
    private final Optional<InternalTls> tls;

    public InternalClientTls() {
        this.tls = InternalTls.fromConfig();
        if (tls.isEmpty()) {
            LOG.warn("internal TLS is not configured (chaser.tls.*): calls to services and agents are plaintext");
        } else {
            LOG.infof("calls to services and agents: mutual TLS (%s)", TlsEngine.name());
        }
    }

    /** {@code options} with this gateway's certificate and the CA, when configured. */
    public HttpClientOptions apply(HttpClientOptions options) {
        tls.ifPresent(t -> TlsEngine.apply(options).setSsl(true).setUseAlpn(false)
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(t.cert().toString())
                        .setKeyPath(t.key().toString()))
                .setTrustOptions(new PemTrustOptions().addCertPath(t.ca().toString())).setVerifyHost(true));
        return options;
    }
}
