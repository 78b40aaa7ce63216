package sh.chaser.relay;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.enterprise.context.ApplicationScoped;

/** The application's HTTPS servers use {@link TlsEngine}'s engine. */
@ApplicationScoped
public class TlsEngineServers implements HttpServerOptionsCustomizer {

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        TlsEngine.apply(options);
    }
}
