package sh.chaser.gateway.api;

import static sh.chaser.contracts.DataPlaneContract.ACTOR_HEADER;
import static sh.chaser.contracts.DataPlaneContract.ERROR_CODE_HEADER;
import static sh.chaser.contracts.DataPlaneContract.SESSION_TOKEN_HEADER;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.function.Function;
import org.jboss.logging.Logger;
import sh.chaser.contracts.ExecRules;
import sh.chaser.gateway.application.RefusalRecorder;
import sh.chaser.gateway.application.SessionLocations;
import sh.chaser.gateway.application.SessionRouteTokens;
import sh.chaser.gateway.application.StreamLeases;
import sh.chaser.gateway.config.GatewayConfig;
import sh.chaser.gateway.config.InternalClientTls;
import sh.chaser.gateway.domain.ErrorCode;
import sh.chaser.proto.account.v1.AuthenticateResponse;
import sh.chaser.proto.account.v1.PrincipalType;
import sh.chaser.relay.HeldWebSocket;
import sh.chaser.relay.HttpRelay;
import sh.chaser.relay.WebSocketLimits;
import sh.chaser.relay.WebSocketRelay;

/**
 * Relays a located data-plane request to the session's vm-agent: HTTP streamed both ways (DevTools
 * JSON rewritten), WebSockets joined; the host's refusals that concern the gateway are handled here
 * (the session gone: 409 session_not_running; an escape refused: audited).
 */
@ApplicationScoped
public class HostRelay {

    private static final Logger LOG = Logger.getLogger(HostRelay.class);
    private static final Set<String> AUDITED = Set.of("path_not_allowed");
    private static final Set<String> GONE = Set.of("sandbox_not_found", "sandbox_not_running");

    @Inject
    Vertx vertx;
    @Inject
    SessionLocations locations;
    @Inject
    StreamLeases leases;
    @Inject
    RefusalRecorder audit;
    @Inject
    GatewayConfig config;
    @Inject
    InternalClientTls tls;
    @Inject
    SessionRouteTokens sessionTokens;

    private sh.chaser.relay.LoopLocalClients clients;

    @PostConstruct
    void init() {
        clients = new sh.chaser.relay.LoopLocalClients(vertx,
                tls.apply(new HttpClientOptions().setKeepAlive(true).setMaxPoolSize(256)
                        .setMaxChunkSize(65536).setConnectTimeout(2_000)
                        .setMaxWebSocketFrameSize(WebSocketLimits.MAX_FRAME)
                        .setMaxWebSocketMessageSize(WebSocketLimits.MAX_MESSAGE)));
    }

    /** A GET of {@code uri} on the target's host, its body as text (DevTools' json/version). */
    Future<String> get(HostTarget target, String uri) {
        return clients.current().request(new RequestOptions().setMethod(HttpMethod.GET).setHost(target.host())
                .setPort(target.port()).setURI(uri).putHeader(SESSION_TOKEN_HEADER, sessionTokens.forPath(uri)))
                .compose(out -> out.send().compose(answer -> answer.body()))
                .map(Object::toString);
    }

    void http(RoutingContext ctx, HostTarget target) {
        http(ctx, target, null, true);
    }

    /**
     * An exec: {@code onExec} learns whether the host ran it (false for a refusal) before the answer
     * is passed on, which waits for the future it returns.
     */
    void exec(RoutingContext ctx, HostTarget target, Function<Boolean, Future<Void>> onExec) {
        http(ctx, target, onExec, true);
    }

    private void http(RoutingContext ctx, HostTarget target, Function<Boolean, Future<Void>> onExec,
            boolean mayRetry) {
        HttpServerRequest in = ctx.request();
        long idle = onExec == null
                ? config.backendTimeout().toMillis()
                : Math.max(config.backendTimeout().toMillis(), ExecRules.MAX_TIMEOUT_MS + 15_000);
        RequestOptions options = new RequestOptions().setMethod(in.method()).setHost(target.host())
                .setPort(target.port())
                .setURI(target.uri()).setHeaders(headers(ctx, target))
                .setIdleTimeout(idle);
        clients.current().request(options)
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
                    String code = answer.getHeader(ERROR_CODE_HEADER);
                    if (code != null && answered(ctx, target, code)) {
                        return;
                    }
                    if (onExec == null) {
                        relayAnswer(ctx, target, answer);
                        return;
                    }
                    answer.pause();
                    onExec.apply(answer.statusCode() < 300)
                            .onComplete(settled -> relayAnswer(ctx, target, answer));
                })
                .onFailure(failure -> {
                    if (mayRetry && HttpRelay.retryable(in, failure)) {
                        http(ctx, target, onExec, false);
                    } else {
                        unreachable(ctx, target, failure);
                    }
                });
    }

    private void relayAnswer(RoutingContext ctx, HostTarget target, io.vertx.core.http.HttpClientResponse answer) {
        var response = ctx.response().setStatusCode(answer.statusCode());
        boolean rewrite = target.publicBase() != null;
        answer.headers().forEach(h -> {
            String name = h.getKey().toLowerCase();
            if (!HttpRelay.DROPPED.contains(name) && !(rewrite && name.equals("content-length"))) {
                response.headers().add(h.getKey(), h.getValue());
            }
        });
        if (!rewrite) {
            response.send(answer);
            return;
        }
        answer.body().onSuccess(body -> response.end(DevTools.rewrite(body.toString(), target.publicBase(),
                target.tokenQuery()))).onFailure(failure -> unreachable(ctx, target, failure));
    }

    void webSocket(RoutingContext ctx, HostTarget target, String lease) {
        HttpServerRequest in = ctx.request();
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(target.host()).setPort(target.port())
                .setURI(target.uri()).setHeaders(headers(ctx, target));
        String protocols = in.getHeader("Sec-WebSocket-Protocol");
        if (protocols != null) {
            options.setSubProtocols(java.util.Arrays.stream(protocols.split(",")).map(String::trim).toList());
        }
        clients.current().webSocket(options)
                .map(HeldWebSocket::hold)
                .onSuccess(host -> in.toWebSocket()
                        .onSuccess(socket -> WebSocketRelay.join(vertx, socket, host, config.dataPlane().keepalive(),
                                () -> leases.release(lease)))
                        .onFailure(failure -> {
                            host.socket().close();
                            leases.release(lease);
                        }))
                .onFailure(failure -> {
                    leases.release(lease);
                    if (failure instanceof UpgradeRejectedException rejected) {
                        String code = rejected.getHeaders() == null
                                ? null
                                : rejected.getHeaders().get(ERROR_CODE_HEADER);
                        if (code != null && answered(ctx, target, code)) {
                            return;
                        }
                        ctx.response().setStatusCode(rejected.getStatus()).putHeader("Content-Type", "application/json")
                                .end(rejected.getBody() == null
                                        ? io.vertx.core.buffer.Buffer.buffer()
                                        : rejected.getBody());
                        return;
                    }
                    unreachable(ctx, target, failure);
                });
    }

    /** Answers the host's refusals that the gateway handles itself; false to pass the host's answer on. */
    private boolean answered(RoutingContext ctx, HostTarget target, String code) {
        if (AUDITED.contains(code)) {
            var details = new java.util.HashMap<String, String>();
            details.put("session_id", target.session().getSessionId());
            String path = ctx.request().getParam("path");
            if (path != null) {
                details.put("path", path.length() > 512 ? path.substring(0, 512) : path);
            }
            audit.refused(target.principal().getAccount().getId(), actor(target.principal()),
                    ctx.request().method().name(),
                    target.route().template(), code, RequestIds.of(ctx), details);
            return false;
        }
        if (GONE.contains(code)) {
            locations.forget(target.principal().getAccount().getId(), target.session().getSessionId());
            ErrorEnvelope.send(ctx, ErrorCode.SESSION_NOT_RUNNING, "session " + target.session().getSessionId()
                    + " is not running");
            return true;
        }
        return false;
    }

    static void unreachable(RoutingContext ctx, HostTarget target, Throwable failure) {
        LOG.warnf("request %s: host %s of session %s unreachable (%s)", RequestIds.of(ctx),
                target.session().getHostId(), target.session().getSessionId(), failure.getMessage());
        ErrorEnvelope.send(ctx, ErrorCode.HOST_UNAVAILABLE, "the session's host is unavailable, retry shortly");
    }

    /**
     * The caller's end-to-end headers, with the gateway's own request id, session token and the
     * authenticated actor replacing any sent.
     */
    private MultiMap headers(RoutingContext ctx, HostTarget target) {
        String agentUri = target.uri();
        MultiMap to = HttpRelay.endToEnd(ctx.request().headers(), "x-request-id");
        to.remove(SESSION_TOKEN_HEADER);
        to.set(SESSION_TOKEN_HEADER, sessionTokens.forPath(agentUri));
        to.set(ACTOR_HEADER, actor(target.principal()));
        to.set("X-Request-Id", RequestIds.of(ctx));
        to.set("X-Forwarded-For",
                ctx.request().remoteAddress() == null ? "" : ctx.request().remoteAddress().hostAddress());
        return to;
    }

    static String actor(AuthenticateResponse p) {
        return (p.getPrincipalType() == PrincipalType.PRINCIPAL_TYPE_SERVICE_ACCOUNT
                ? "service_account:"
                : "user:") + p.getPrincipalId();
    }
}
