package sh.chaser.agent.api;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.ConnectException;
import java.time.Duration;
import sh.chaser.agent.application.Sandboxes;
import sh.chaser.agent.domain.AgentError;
import sh.chaser.agent.runtime.ForwardTarget;
import sh.chaser.contracts.DataPlaneContract;
import sh.chaser.relay.HeldWebSocket;
import sh.chaser.relay.HttpRelay;
import sh.chaser.relay.WebSocketLimits;
import sh.chaser.relay.WebSocketRelay;

/**
 * Port forwarding: HTTP and WebSocket under {@code forward/<port>/} to a port a process in the
 * sandbox listens on, on its loopback or any address ({@link ForwardTarget}: straight to a
 * namespace sandbox, through a microVM's guest agent). Bodies stream both ways; nothing is held
 * whole. A closed port answers 502 {@code port_not_listening}.
 */
@ApplicationScoped
public class ForwardRoutes {

    @Inject
    Vertx vertx;
    @Inject
    Sandboxes sandboxes;

    private HttpClient client;

    @PostConstruct
    void init() {
        client = vertx
                .createHttpClient(new HttpClientOptions().setKeepAlive(true).setMaxPoolSize(64).setMaxChunkSize(65536)
                        .setConnectTimeout(2_000).setMaxWebSocketFrameSize(WebSocketLimits.MAX_FRAME)
                        .setMaxWebSocketMessageSize(WebSocketLimits.MAX_MESSAGE));
    }

    void install(@Observes Router router) {
        router.routeWithRegex("^/internal/v1/sessions/([^/]+)/forward/([0-9]{1,5})(/.*)?$").handler(this::forward);
    }

    void forward(RoutingContext ctx) {
        HttpServerRequest in = ctx.request();
        in.pause();
        String sessionId = ctx.pathParam("param0");
        int port = Integer.parseInt(ctx.pathParam("param1"));
        String rest = ctx.pathParam("param2") == null ? "/" : ctx.pathParam("param2");
        String uri = in.query() == null ? rest : rest + "?" + in.query();
        if (port < 1 || port > 65535) {
            Answers.error(ctx, AgentError.INVALID_REQUEST, "port must be 1 to 65535");
            return;
        }
        Answers.blocking(ctx, () -> sandboxes.forwardTarget(sessionId, port), target -> {
            if ("websocket".equalsIgnoreCase(in.getHeader("Upgrade"))) {
                webSocket(ctx, target, port, uri);
            } else {
                http(ctx, target, port, uri, true);
            }
        });
    }

    private static MultiMap headers(HttpServerRequest in, ForwardTarget target) {
        MultiMap headers = HttpRelay.endToEnd(in.headers());
        target.headers().forEach(headers::set);
        return headers;
    }

    private void http(RoutingContext ctx, ForwardTarget target, int port, String uri, boolean mayRetry) {
        HttpServerRequest in = ctx.request();
        RequestOptions options = new RequestOptions().setMethod(in.method()).setHost(target.host())
                .setPort(target.port())
                .setURI(target.pathPrefix() + uri).setHeaders(headers(in, target)).setIdleTimeout(300_000);
        client.request(options)
                .compose(out -> {
                    // only an exchange still under way is cut: resetting a finished one closes a pooled
                    // connection (each next call then paid a new TLS handshake)
                    ctx.response().closeHandler(v -> {
                        if (!ctx.response().ended()) {
                            out.reset();
                        }
                    });
                    return HttpRelay.send(out, in);
                })
                .onSuccess(answer -> {
                    if (!target.pathPrefix().isEmpty()
                            && answer.getHeader(DataPlaneContract.ERROR_CODE_HEADER) != null) {
                        answer.body(); // the guest agent's own envelope: answered in the agent's
                        Answers.error(ctx, AgentError.PORT_NOT_LISTENING,
                                "nothing in the sandbox listens on port " + port);
                        return;
                    }
                    var response = ctx.response().setStatusCode(answer.statusCode());
                    // an application's answer never carries the mark of the agent's own errors (the gateway acts on it)
                    response.headers().addAll(
                            HttpRelay.endToEnd(answer.headers(), DataPlaneContract.ERROR_CODE_HEADER.toLowerCase()));
                    response.send(answer);
                })
                .onFailure(failure -> {
                    if (mayRetry && HttpRelay.retryable(in, failure)) {
                        http(ctx, target, port, uri, false);
                    } else {
                        refused(ctx, port, failure);
                    }
                });
    }

    private void webSocket(RoutingContext ctx, ForwardTarget target, int port, String uri) {
        HttpServerRequest in = ctx.request();
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(target.host()).setPort(target.port())
                .setURI(target.pathPrefix() + uri).setHeaders(headers(in, target));
        String protocols = in.getHeader("Sec-WebSocket-Protocol");
        if (protocols != null) {
            options.setSubProtocols(java.util.Arrays.stream(protocols.split(",")).map(String::trim).toList());
        }
        client.webSocket(options)
                .map(HeldWebSocket::hold)
                .onSuccess(upstream -> in.toWebSocket()
                        .onSuccess(downstream -> WebSocketRelay.join(vertx, downstream, upstream,
                                Duration.ofMillis(PtyRoutes.KEEPALIVE_MS), () -> ActivityRoutes.end(ctx)))
                        .onFailure(failure -> upstream.socket().close()))
                .onFailure(failure -> refused(ctx, port, failure instanceof UpgradeRejectedException rejected
                        && rejected.getStatus() == 502 && !target.pathPrefix().isEmpty()
                                ? new ConnectException("the guest agent found nothing listening")
                                : failure));
    }

    private static void refused(RoutingContext ctx, int port, Throwable failure) {
        if (failure instanceof ConnectException
                || String.valueOf(failure.getMessage()).contains("Connection refused")) {
            Answers.error(ctx, AgentError.PORT_NOT_LISTENING, "nothing in the sandbox listens on port " + port);
        } else if (failure instanceof UpgradeRejectedException rejected) {
            ctx.response().setStatusCode(rejected.getStatus()).end();
        } else {
            Answers.error(ctx, AgentError.PORT_NOT_LISTENING,
                    "port " + port + " did not answer: " + failure.getMessage());
        }
    }
}
