package sh.chaser.gateway.api;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.function.Supplier;
import sh.chaser.gateway.application.SessionLocations;
import sh.chaser.gateway.application.StreamLeases;
import sh.chaser.gateway.domain.ConnectPurpose;
import sh.chaser.gateway.domain.ErrorCode;
import sh.chaser.gateway.domain.Route;
import sh.chaser.proto.account.v1.AuthenticateResponse;
import sh.chaser.proto.session.v1.LocateSessionResponse;

/**
 * A session's data plane (exec, commands, PTY, files, self-test, forwarding, a browser's DevTools): located through
 * session-service, checked (a sandbox that runs), then relayed over HTTP or WebSocket to the
 * vm-agent that runs it ({@link HostRelay}). WebSockets and output streams hold a connection lease while open.
 */
@ApplicationScoped
public class DataPlane {

    @Inject
    SessionLocations locations;
    @Inject
    StreamLeases leases;
    @Inject
    HostRelay relay;
    @Inject
    ExecRelay execs;
    @Inject
    sh.chaser.gateway.application.ConnectTokens tokens;

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
                    ? "the DevTools endpoints are for browser sessions; this is a " + found.getSessionType()
                            + " session"
                    : rest.split("/")[1] + " is for sandbox sessions; this is a " + found.getSessionType()
                            + " session");
            return;
        }
        if (!"running".equals(found.getStatus())) {
            ErrorEnvelope.send(ctx, ErrorCode.SESSION_NOT_RUNNING, "session " + found.getSessionId() + " is "
                    + found.getStatus());
            return;
        }
        String hostRest = devTools ? "/forward/" + DevTools.PORT + rest : rest;
        HostTarget target = new HostTarget(found, agentUri(ctx, found.getSessionId(), hostRest), route, principal,
                devTools ? DevTools.publicBase(ctx, rest) : null,
                devTools ? tokenQuery(ctx, found, principal) : () -> "");
        if ("/exec".equals(rest)) {
            execs.serve(ctx, target);
            return;
        }
        boolean webSocket = "websocket".equalsIgnoreCase(ctx.request().getHeader(HttpHeaders.UPGRADE));
        if (webSocket || rest.matches("/commands/[^/]+/stream")) {
            String kind = rest.startsWith("/pty")
                    ? "pty"
                    : devTools ? "cdp" : rest.startsWith("/tcp/") ? "tcp" : webSocket ? "forward" : "stream";
            Context context = Vertx.currentContext();
            leases.acquire(principal.getAccount().getId(), found.getSessionId(), kind,
                    () -> context.runOnContext(v -> ctx.response().reset()))
                    .subscribe().with(lease -> context.runOnContext(v -> {
                        if (webSocket && DevTools.isBrowserWithoutId(rest)) {
                            browserSocket(ctx, target, lease);
                        } else if (webSocket) {
                            relay.webSocket(ctx, target, lease);
                        } else {
                            ctx.response().closeHandler(c -> leases.release(lease));
                            ctx.response().endHandler(c -> leases.release(lease));
                            relay.http(ctx, target);
                        }
                    }),
                            failure -> context.runOnContext(v -> BackendErrors.send(ctx, "session-service", failure)));
            return;
        }
        relay.http(ctx, target);
    }

    /**
     * The query each DevTools WebSocket URL in an answer carries: a fresh devtools connect token per
     * URL (each may open one WebSocket) when the caller came with a token or asked for one.
     */
    private Supplier<String> tokenQuery(RoutingContext ctx, LocateSessionResponse found,
            AuthenticateResponse principal) {
        boolean wanted = ctx.get(ApiPipeline.CONNECT_TOKEN_KEY) != null
                || "true".equals(ctx.request().getParam("connect_token"));
        return wanted
                ? () -> "?token=" + tokens.mint(found.getSessionId(), ConnectPurpose.DEVTOOLS, principal).token()
                : () -> "";
    }

    /** {@code devtools/browser} without the browser's id: the id comes from Chromium's json/version first. */
    private void browserSocket(RoutingContext ctx, HostTarget target, String lease) {
        String version = sh.chaser.contracts.DataPlaneContract.SESSIONS_PATH + target.session().getSessionId()
                + "/forward/" + DevTools.PORT
                + "/json/version";
        relay.get(target, version)
                .onSuccess(body -> {
                    String path = DevTools.browserPath(body);
                    if (path == null) {
                        leases.release(lease);
                        ErrorEnvelope.send(ctx, ErrorCode.HOST_UNAVAILABLE, "the session's browser did not answer");
                        return;
                    }
                    String uri = sh.chaser.contracts.DataPlaneContract.SESSIONS_PATH + target.session().getSessionId()
                            + "/forward/" + DevTools.PORT + path;
                    relay.webSocket(ctx, target.withUri(uri), lease);
                })
                .onFailure(failure -> {
                    leases.release(lease);
                    HostRelay.unreachable(ctx, target, failure);
                });
    }

    /** @param publicBase for DevTools answers: the gateway's WebSocket base their URLs are rewritten to */
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
        return sh.chaser.contracts.DataPlaneContract.SESSIONS_PATH + sessionId + rest + kept;
    }
}
