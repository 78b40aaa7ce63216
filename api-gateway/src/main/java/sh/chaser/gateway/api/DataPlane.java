package sh.chaser.gateway.api;

import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;
import org.jboss.logging.Logger;
import sh.chaser.gateway.application.SessionLocations;
import sh.chaser.gateway.application.StreamLeases;
import sh.chaser.gateway.config.GatewayConfig;
import sh.chaser.gateway.domain.ErrorCode;
import sh.chaser.gateway.domain.Route;
import sh.chaser.gateway.messaging.RefusalAudit;
import sh.chaser.proto.account.v1.AuthenticateResponse;
import sh.chaser.proto.account.v1.PrincipalType;
import sh.chaser.proto.session.v1.LocateSessionResponse;
import sh.chaser.relay.HttpRelay;
import sh.chaser.relay.WebSocketLimits;
import sh.chaser.relay.WebSocketRelay;

/**
 * A session's data plane (commands, PTY, files, self-test, forwarding): located through
 * session-service, checked (a sandbox that runs), then relayed over HTTP or WebSocket to the
 * vm-agent that runs it. WebSockets and output streams hold a connection lease while open.
 */
@ApplicationScoped
public class DataPlane {

    private static final Logger LOG = Logger.getLogger(DataPlane.class);
    private static final Set<String> AUDITED = Set.of("path_not_allowed");
    private static final Set<String> GONE = Set.of("sandbox_not_found", "sandbox_not_running");
    static final String ERROR_CODE_HEADER = "X-Chaser-Error-Code";

    @Inject
    Vertx vertx;
    @Inject
    SessionLocations locations;
    @Inject
    StreamLeases leases;
    @Inject
    RefusalAudit audit;
    @Inject
    GatewayConfig config;
    @Inject
    sh.chaser.gateway.application.ConnectTokens tokens;

    private HttpClient client;

    @PostConstruct
    void init() {
        client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setMaxPoolSize(256).setMaxChunkSize(65536)
                .setConnectTimeout(2_000).setMaxWebSocketFrameSize(WebSocketLimits.MAX_FRAME).setMaxWebSocketMessageSize(WebSocketLimits.MAX_MESSAGE));
    }

    /** @param rest the operation's path under the session, e.g. {@code /commands/<cid>/stream} */
    public void serve(RoutingContext ctx, String sessionId, String rest, Route route, AuthenticateResponse principal) {
        String accountId = principal.getAccount().getId();
        Context context = Vertx.currentContext();
        ctx.request().pause();
        locations.locate(accountId, sessionId, false).subscribe().with(
                found -> context.runOnContext(v -> located(ctx, found, rest, route, principal)),
                failure -> context.runOnContext(v -> BackendErrors.send(ctx, "session-service", failure)));
    }

    private void located(RoutingContext ctx, LocateSessionResponse found, String rest, Route route,
            AuthenticateResponse principal) {
        boolean devTools = DevTools.isDevTools(rest);
        boolean browser = "browser".equals(found.getSessionType());
        if (browser != devTools) {
            ErrorEnvelope.send(ctx, ErrorCode.UNSUPPORTED_FOR_SESSION_TYPE, devTools
                    ? "the DevTools endpoints are for browser sessions; this is a " + found.getSessionType() + " session"
                    : rest.split("/")[1] + " is for sandbox sessions; this is a " + found.getSessionType() + " session");
            return;
        }
        if (!"running".equals(found.getStatus())) {
            ErrorEnvelope.send(ctx, ErrorCode.SESSION_NOT_RUNNING, "session " + found.getSessionId() + " is "
                    + found.getStatus());
            return;
        }
        String hostRest = devTools ? "/forward/" + DevTools.PORT + rest : rest;
        Target target = new Target(found, agentUri(ctx, found.getSessionId(), hostRest), route, principal,
                devTools ? DevTools.publicBase(ctx, rest) + "" : null, devTools ? tokenQuery(ctx, found, principal) : "");
        boolean webSocket = "websocket".equalsIgnoreCase(ctx.request().getHeader(HttpHeaders.UPGRADE));
        if (webSocket || rest.matches("/commands/[^/]+/stream")) {
            String kind = rest.startsWith("/pty") ? "pty" : devTools ? "cdp" : webSocket ? "forward" : "stream";
            Context context = Vertx.currentContext();
            leases.acquire(principal.getAccount().getId(), found.getSessionId(), kind, () -> context.runOnContext(v ->
                            ctx.response().reset()))
                    .subscribe().with(lease -> context.runOnContext(v -> {
                                if (webSocket && DevTools.isBrowserWithoutId(rest)) {
                                    browserSocket(ctx, target, lease);
                                } else if (webSocket) {
                                    webSocket(ctx, target, lease);
                                } else {
                                    ctx.response().closeHandler(c -> leases.release(lease));
                                    ctx.response().endHandler(c -> leases.release(lease));
                                    http(ctx, target);
                                }
                            }),
                            failure -> context.runOnContext(v -> BackendErrors.send(ctx, "session-service", failure)));
            return;
        }
        http(ctx, target);
    }

    /** The query DevTools WebSocket URLs carry: the caller's connect token, or a new one when asked for. */
    private String tokenQuery(RoutingContext ctx, LocateSessionResponse found, AuthenticateResponse principal) {
        String token = ctx.request().getParam("token");
        if (token == null && "true".equals(ctx.request().getParam("connect_token"))) {
            token = tokens.mint(found.getSessionId(), principal).token();
        }
        return token == null ? "" : "?token=" + token;
    }

    /** {@code devtools/browser} without the browser's id: the id comes from Chromium's json/version first. */
    private void browserSocket(RoutingContext ctx, Target target, String lease) {
        String version = "/internal/v1/sessions/" + target.session().getSessionId() + "/forward/" + DevTools.PORT
                + "/json/version";
        client.request(new RequestOptions().setMethod(io.vertx.core.http.HttpMethod.GET).setHost(target.host())
                        .setPort(target.port()).setURI(version))
                .compose(out -> out.send().compose(answer -> answer.body()))
                .onSuccess(body -> {
                    String path = DevTools.browserPath(body.toString());
                    if (path == null) {
                        leases.release(lease);
                        ErrorEnvelope.send(ctx, ErrorCode.HOST_UNAVAILABLE, "the session's browser did not answer");
                        return;
                    }
                    String uri = "/internal/v1/sessions/" + target.session().getSessionId() + "/forward/" + DevTools.PORT + path;
                    webSocket(ctx, target.withUri(uri), lease);
                })
                .onFailure(failure -> {
                    leases.release(lease);
                    unreachable(ctx, target, failure);
                });
    }

    /** @param publicBase for DevTools answers: the gateway's WebSocket base their URLs are rewritten to */
    private record Target(LocateSessionResponse session, String uri, Route route, AuthenticateResponse principal,
            String publicBase, String tokenQuery) {
        Target withUri(String other) {
            return new Target(session, other, route, principal, publicBase, tokenQuery);
        }

        String host() {
            String address = session.getHostGrpcAddress();
            return address.substring(0, address.lastIndexOf(':'));
        }

        int port() {
            String address = session.getHostGrpcAddress();
            return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
        }
    }

    private void http(RoutingContext ctx, Target target) {
        HttpServerRequest in = ctx.request();
        RequestOptions options = new RequestOptions().setMethod(in.method()).setHost(target.host()).setPort(target.port())
                .setURI(target.uri()).setHeaders(headers(ctx)).setIdleTimeout(config.backendTimeout().toMillis());
        client.request(options)
                .compose(out -> {
                    ctx.response().closeHandler(v -> out.reset());
                    return HttpRelay.send(out, in);
                })
                .onSuccess(answer -> {
                    String code = answer.getHeader(ERROR_CODE_HEADER);
                    if (code != null && answered(ctx, target, code)) {
                        return;
                    }
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
                })
                .onFailure(failure -> unreachable(ctx, target, failure));
    }

    private void webSocket(RoutingContext ctx, Target target, String lease) {
        HttpServerRequest in = ctx.request();
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(target.host()).setPort(target.port())
                .setURI(target.uri()).setHeaders(headers(ctx));
        String protocols = in.getHeader("Sec-WebSocket-Protocol");
        if (protocols != null) {
            options.setSubProtocols(java.util.Arrays.stream(protocols.split(",")).map(String::trim).toList());
        }
        client.webSocket(options)
                .onSuccess(host -> in.toWebSocket()
                        .onSuccess(socket -> WebSocketRelay.join(vertx, socket, host, config.dataPlane().keepalive(),
                                () -> leases.release(lease)))
                        .onFailure(failure -> {
                            host.close();
                            leases.release(lease);
                        }))
                .onFailure(failure -> {
                    leases.release(lease);
                    if (failure instanceof UpgradeRejectedException rejected) {
                        String code = rejected.getHeaders() == null ? null : rejected.getHeaders().get(ERROR_CODE_HEADER);
                        if (code != null && answered(ctx, target, code)) {
                            return;
                        }
                        ctx.response().setStatusCode(rejected.getStatus()).putHeader("Content-Type", "application/json")
                                .end(rejected.getBody() == null ? io.vertx.core.buffer.Buffer.buffer() : rejected.getBody());
                        return;
                    }
                    unreachable(ctx, target, failure);
                });
    }

    /** Answers the host's refusals that the gateway handles itself; false to pass the host's answer on. */
    private boolean answered(RoutingContext ctx, Target target, String code) {
        if (AUDITED.contains(code)) {
            var details = new java.util.HashMap<String, String>();
            details.put("session_id", target.session().getSessionId());
            String path = ctx.request().getParam("path");
            if (path != null) {
                details.put("path", path.length() > 512 ? path.substring(0, 512) : path);
            }
            audit.refused(target.principal().getAccount().getId(), actor(target.principal()), ctx.request().method().name(),
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

    private static void unreachable(RoutingContext ctx, Target target, Throwable failure) {
        LOG.warnf("request %s: host %s of session %s unreachable (%s)", RequestIds.of(ctx),
                target.session().getHostId(), target.session().getSessionId(), failure.getMessage());
        ErrorEnvelope.send(ctx, ErrorCode.HOST_UNAVAILABLE, "the session's host is unavailable, retry shortly");
    }

    private static MultiMap headers(RoutingContext ctx) {
        MultiMap to = HttpRelay.endToEnd(ctx.request().headers(), "x-request-id");
        to.set("X-Request-Id", RequestIds.of(ctx));
        to.set("X-Forwarded-For", ctx.request().remoteAddress() == null ? "" : ctx.request().remoteAddress().hostAddress());
        return to;
    }

    /** The host's path for the operation, with the query minus a connect token. */
    private static String agentUri(RoutingContext ctx, String sessionId, String rest) {
        String query = ctx.request().query();
        StringBuilder kept = new StringBuilder();
        if (query != null) {
            for (String pair : query.split("&")) {
                if (!pair.startsWith("token=") && !pair.isEmpty()) {
                    kept.append(kept.length() == 0 ? "?" : "&").append(pair);
                }
            }
        }
        return "/internal/v1/sessions/" + sessionId + rest + kept;
    }

    static String actor(AuthenticateResponse p) {
        return (p.getPrincipalType() == PrincipalType.PRINCIPAL_TYPE_SERVICE_ACCOUNT ? "service_account:" : "user:")
                + p.getPrincipalId();
    }

}
