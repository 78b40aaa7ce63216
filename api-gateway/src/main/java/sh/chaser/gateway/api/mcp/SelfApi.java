package sh.chaser.gateway.api.mcp;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The gateway's own public API, called over loopback with the MCP caller's credential: a tool can do
 * nothing its caller could not do with curl, and passes the same scope checks, limits and audit.
 */
@ApplicationScoped
class SelfApi {

    static final int MAX_MESSAGE = 32 * 1024 * 1024;

    @Inject
    Vertx vertx;
    @ConfigProperty(name = "quarkus.http.host")
    String host;
    @ConfigProperty(name = "quarkus.http.port")
    int port;

    private HttpClient client;

    @PostConstruct
    void init() {
        client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setMaxPoolSize(64)
                .setConnectTimeout(2_000).setMaxWebSocketMessageSize(MAX_MESSAGE)
                .setMaxWebSocketFrameSize(MAX_MESSAGE));
    }

    @PreDestroy
    void close() {
        client.close();
    }

    private String address() {
        return sh.chaser.gateway.config.SelfAddress.of(host);
    }

    Future<Reply> json(Caller caller, HttpMethod method, String uri, JsonObject body) {
        return send(caller, method, uri, body == null ? null : body.toBuffer(), "application/json");
    }

    /** Idle for up to 16 minutes: an exec (at most 15, terminal's schema) answers only at its end. */
    Future<Reply> send(Caller caller, HttpMethod method, String uri, Buffer body, String contentType) {
        RequestOptions options = new RequestOptions().setMethod(method).setHost(address()).setPort(port).setURI(uri)
                .setIdleTimeout(16 * 60_000L);
        return client.request(options).compose(request -> {
            headers(caller, request.headers());
            if (body == null) {
                return request.send();
            }
            request.putHeader("Content-Type", contentType);
            return request.send(body);
        }).compose(response -> response.body().map(b -> new Reply(response.statusCode(), b)));
    }

    /** A WebSocket to one of the caller's sessions (the browser's DevTools), through the gateway. */
    Future<WebSocket> webSocket(Caller caller, String uri) {
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(address()).setPort(port).setURI(uri)
                .setTimeout(30_000);
        options.addHeader("Authorization", caller.authorization());
        if (caller.account() != null) {
            options.addHeader("X-Chaser-Account", caller.account());
        }
        return client.webSocket(options);
    }

    private static void headers(Caller caller, io.vertx.core.MultiMap headers) {
        headers.set("Authorization", caller.authorization());
        if (caller.account() != null) {
            headers.set("X-Chaser-Account", caller.account());
        }
    }
}
