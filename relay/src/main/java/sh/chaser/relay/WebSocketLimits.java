package sh.chaser.relay;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * WebSocket messages up to 16 MiB in 1 MiB frames instead of Vert.x's 256 KiB: DevTools clients
 * send large messages (Playwright's injected script is several hundred KiB) and terminals and
 * forwarded WebSockets carry whatever the sandbox's programs send.
 */
@ApplicationScoped
public class WebSocketLimits implements HttpServerOptionsCustomizer {

    public static final int MAX_FRAME = 1 << 20;
    public static final int MAX_MESSAGE = 16 << 20;

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        options.setMaxWebSocketFrameSize(MAX_FRAME).setMaxWebSocketMessageSize(MAX_MESSAGE);
    }

    /** The vm-agent's port with internal TLS (mutual TLS): the same limits. */
    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        customizeHttpServer(options);
    }
}
