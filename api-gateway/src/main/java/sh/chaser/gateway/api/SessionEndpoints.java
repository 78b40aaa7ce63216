package sh.chaser.gateway.api;

import io.quarkus.grpc.GrpcClient;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import sh.chaser.contracts.Scopes;
import sh.chaser.gateway.domain.ErrorCode;
import sh.chaser.gateway.domain.Route;
import sh.chaser.gateway.domain.RouteTable;
import sh.chaser.proto.account.v1.AuthenticateResponse;
import sh.chaser.proto.session.v1.LocateSessionRequest;
import sh.chaser.proto.session.v1.MutinySessionLocatorGrpc;

/**
 * A session's control endpoints: path style {@code /s/<id>/...} and subdomain style
 * {@code <id>.<domain>/...}. Both authenticate like /v1, then locate the session in the caller's
 * account (another account's session is not found). {@code GET /} answers the session's identity;
 * the data plane under it (pty, exec, files, forwarding, CDP) is served from the next issue on.
 */
@ApplicationScoped
public class SessionEndpoints {

    static final Pattern PATH_STYLE = Pattern.compile("^/s/([0-9a-fA-F-]{36})(/.*)?$");
    static final Pattern HOST_STYLE = Pattern.compile("^([0-9a-fA-F-]{36})\\..+");
    private static final Duration DEADLINE = Duration.ofSeconds(5);

    @Inject
    ApiPipeline pipeline;

    @GrpcClient("session-service")
    MutinySessionLocatorGrpc.MutinySessionLocatorStub locator;

    void install(@Observes Router router) {
        // before /v1: on a session's own host every path belongs to the session
        router.route().order(-20).handler(this::byHost);
        router.routeWithRegex("^/s/[^/]+(/.*)?$").order(-15).handler(this::byPath);
    }

    void byHost(RoutingContext ctx) {
        String host = ctx.request().authority() == null ? null : ctx.request().authority().host();
        Matcher m = host == null ? null : HOST_STYLE.matcher(host);
        if (m == null || !m.matches()) {
            ctx.next();
            return;
        }
        serve(ctx, m.group(1), ctx.request().path());
    }

    void byPath(RoutingContext ctx) {
        Matcher m = PATH_STYLE.matcher(ctx.request().path());
        if (!m.matches()) {
            ErrorEnvelope.send(ctx, ErrorCode.SESSION_NOT_FOUND, "no session " + ctx.request().path().split("/")[2]);
            return;
        }
        serve(ctx, m.group(1), m.group(2) == null ? "/" : m.group(2));
    }

    /** {@code GET /} is the session's identity; the rest is the session's /v1 routes under a shorter path. */
    private void serve(RoutingContext ctx, String sessionId, String rest) {
        String id = sessionId.toLowerCase();
        String method = ctx.request().method().name();
        if ("/".equals(rest) && "GET".equals(method)) {
            ctx.put(ApiPipeline.SESSION_KEY, id);
            pipeline.authenticated(ctx, "GET", "/s/{id}/", Scopes.SESSIONS_READ,
                    principal -> identity(ctx, id, principal));
            return;
        }
        String v1Path = "/v1/sessions/" + id + rest;
        Optional<Route> route = RouteTable.match(method, v1Path)
                .filter(r -> r.template().startsWith("/v1/sessions/{id}/"));
        if (route.isEmpty()) {
            boolean otherMethod = RouteTable.pathExists(v1Path);
            ErrorEnvelope.send(ctx, otherMethod ? ErrorCode.METHOD_NOT_ALLOWED : ErrorCode.NOT_FOUND,
                    otherMethod ? method + " is not allowed on " + rest : "no such endpoint on this session: " + rest);
            return;
        }
        String query = ctx.request().query();
        pipeline.dispatch(ctx, route.get(), id, rest, query == null ? v1Path : v1Path + "?" + query);
    }

    private void identity(RoutingContext ctx, String sessionId, AuthenticateResponse principal) {
        Context context = Vertx.currentContext();
        locator.withDeadlineAfter(DEADLINE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .locateSession(LocateSessionRequest.newBuilder().setAccountId(principal.getAccount().getId())
                        .setSessionId(sessionId.toLowerCase()).build())
                .subscribe().with(
                        found -> context.runOnContext(v -> ctx.response().putHeader("Content-Type", "application/json")
                                .end(new JsonObject().put("session_id", found.getSessionId())
                                        .put("session_type", found.getSessionType()).put("status", found.getStatus())
                                        .put("host", found.getHostId()).put("runtime", found.getRuntime())
                                        .put("workspace_id",
                                                found.getWorkspaceId().isEmpty() ? null : found.getWorkspaceId())
                                        .put("account_id", principal.getAccount().getId()).encode())),
                        failure -> context.runOnContext(v -> BackendErrors.send(ctx, "session-service", failure)));
    }
}
