package sh.chaser.gateway.api;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import sh.chaser.contracts.Scopes;
import sh.chaser.gateway.api.mcp.McpServerEndpoint;
import sh.chaser.gateway.application.Authenticator;
import sh.chaser.gateway.application.ConnectTokens;
import sh.chaser.gateway.application.InternalTokenMinter;
import sh.chaser.gateway.application.RateLimiter;
import sh.chaser.gateway.application.RefusalRecorder;
import sh.chaser.gateway.domain.Backend;
import sh.chaser.gateway.domain.ConnectPurpose;
import sh.chaser.gateway.domain.ErrorCode;
import sh.chaser.gateway.domain.IdempotencyKeys;
import sh.chaser.gateway.domain.RateDecision;
import sh.chaser.gateway.domain.Route;
import sh.chaser.gateway.domain.RouteTable;
import sh.chaser.proto.account.v1.AuthenticateResponse;
import sh.chaser.proto.account.v1.PrincipalType;

/**
 * Every /v1 request: find its route, authenticate the bearer (through account-service, cached
 * briefly), check the route's scope, then forward it with an internal token to the owning service.
 */
@ApplicationScoped
public class ApiPipeline {

    public static final String ACCOUNT_HEADER = "X-Chaser-Account";
    /** The session a request is scoped to (context data), which a connect token must name. */
    static final String SESSION_KEY = "chaser.session";
    /** The purpose a connect token must have for this request (context data; absent: none may). */
    static final String PURPOSE_KEY = "chaser.connect-purpose";
    /** Set when the request was let in by a connect token. */
    static final String CONNECT_TOKEN_KEY = "chaser.connect-token";
    private static final Pattern SESSION_PATH = Pattern.compile("^/v1/sessions/([0-9a-fA-F-]{36})(/.*)$");

    @Inject
    Authenticator authenticator;
    @Inject
    InternalTokenMinter minter;
    @Inject
    BackendProxy proxy;
    @Inject
    RefusalRecorder audit;
    @Inject
    RateLimiter rateLimiter;
    @Inject
    DataPlane dataPlane;
    @Inject
    ConnectTokenResource connectTokens;
    @Inject
    ConnectTokens tokens;
    @Inject
    McpServerEndpoint mcp;
    @Inject
    IdempotentMutations idempotent;

    void install(@Observes Router router) {
        router.route("/v1/*").order(-10).handler(this::handle);
    }

    void handle(RoutingContext ctx) {
        var request = ctx.request();
        Optional<Route> found = RouteTable.match(request.method().name(), request.path());
        if (found.isEmpty()) {
            boolean otherMethod = RouteTable.pathExists(request.path());
            ErrorEnvelope.send(ctx, otherMethod ? ErrorCode.METHOD_NOT_ALLOWED : ErrorCode.NOT_FOUND,
                    otherMethod
                            ? request.method() + " is not allowed on " + request.path()
                            : "no such route: " + request.path());
            return;
        }
        Route route = found.get();
        if (route.open()) {
            String client = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
            if (withinLimits(ctx, rateLimiter.anonymous(client))) {
                proxy.forward(ctx, route.backend(), null);
            }
            return;
        }
        Matcher session = SESSION_PATH.matcher(request.path());
        if (route.template().startsWith("/v1/sessions/{id}/") && session.matches()) {
            dispatch(ctx, route, session.group(1).toLowerCase(), session.group(2), request.uri());
            return;
        }
        authenticated(ctx, route.method(), route.template(), route.scope(), principal -> {
            if (route.backend() == Backend.HOST) {
                // a session route whose id is no UUID (SESSION_PATH did not take it) names no session
                ErrorEnvelope.send(ctx, ErrorCode.SESSION_NOT_FOUND, "no session "
                        + request.path().substring("/v1/sessions/".length()).split("/")[0]);
            } else if (route.backend() == Backend.GATEWAY) {
                mcp.serve(ctx);
            } else {
                toService(ctx, route, principal, request.uri());
            }
        });
    }

    /**
     * A route under one session (from /v1/sessions/{id}/..., /s/{id}/... or the session's host): a
     * connect token for that session is accepted in place of a bearer; then the service, the
     * session's host or the gateway itself answers.
     *
     * @param rest    the path under the session, e.g. {@code /pty}
     * @param v1Uri   the request's path and query as a /v1 route
     */
    public void dispatch(RoutingContext ctx, Route route, String sessionId, String rest, String v1Uri) {
        ctx.put(SESSION_KEY, sessionId);
        ConnectPurpose.ofRoute(rest).ifPresent(purpose -> ctx.put(PURPOSE_KEY, purpose));
        authenticated(ctx, route.method().equals(Route.ANY_METHOD) ? ctx.request().method().name() : route.method(),
                route.template(), route.scope(), principal -> {
                    switch (route.backend()) {
                        case HOST -> dataPlane.serve(ctx, sessionId, rest, route, principal);
                        case GATEWAY -> connectTokens.create(ctx, sessionId, principal);
                        default -> toService(ctx, route, principal, v1Uri);
                    }
                });
    }

    /**
     * Authenticates the bearer (through account-service, cached briefly), checks {@code scope} and the
     * rate limits, then hands the principal to {@code next} on the request's context; every refusal is
     * answered in the envelope and audited under {@code method} {@code template}.
     */
    public void authenticated(RoutingContext ctx, String method, String template, String scope,
            Consumer<AuthenticateResponse> next) {
        var request = ctx.request();
        String token = bearerToken(request.getHeader("Authorization"));
        String sessionId = ctx.get(SESSION_KEY);
        String connectToken = request.getParam("token");
        if (token == null && sessionId != null && connectToken != null) {
            withConnectToken(ctx, connectToken, sessionId, method, template, scope, next);
            return;
        }
        if (token == null) {
            ErrorEnvelope.send(ctx, ErrorCode.UNAUTHORIZED, "send Authorization: Bearer <API key or access token>");
            audit.refused(null, null, method, template, ErrorCode.UNAUTHORIZED.code(), RequestIds.of(ctx));
            return;
        }
        String selector = Optional.ofNullable(request.getHeader(ACCOUNT_HEADER)).map(String::trim).orElse("");
        request.pause();
        Context context = Vertx.currentContext();
        authenticator.authenticate(token, selector, RequestIds.of(ctx)).subscribe().with(
                principal -> context.runOnContext(v -> authorized(ctx, method, template, scope, principal, next)),
                failure -> context.runOnContext(v -> {
                    ErrorCode sent = BackendErrors.send(ctx, "account-service", failure);
                    if (sent.httpStatus() < 500) {
                        audit.refused(null, null, method, template, sent.code(), RequestIds.of(ctx));
                    }
                }));
    }

    /**
     * A connect token in place of a bearer: signed by a gateway, for this session and this route's
     * purpose, unexpired; then account-service re-checks the principal it names and, for a WebSocket
     * upgrade, uses the token up.
     */
    private void withConnectToken(RoutingContext ctx, String connectToken, String sessionId, String method,
            String template, String scope, Consumer<AuthenticateResponse> next) {
        var claims = tokens.verify(connectToken).filter(c -> c.sessionId().equals(sessionId));
        if (claims.isEmpty()) {
            ErrorEnvelope.send(ctx, ErrorCode.UNAUTHORIZED,
                    "the connect token is invalid, expired or for another session");
            audit.refused(null, null, method, template, ErrorCode.UNAUTHORIZED.code(), RequestIds.of(ctx));
            return;
        }
        ConnectPurpose wanted = ctx.get(PURPOSE_KEY);
        if (claims.get().purpose() != wanted) {
            ErrorEnvelope.send(ctx, ErrorCode.FORBIDDEN, wanted == null
                    ? "a connect token opens only " + ConnectPurpose.listed() + "; send an API key for this route"
                    : "this connect token is for " + claims.get().purpose().value() + "; ask for one with purpose "
                            + wanted.value());
            audit.refused(claims.get().accountId(), null, method, template, ErrorCode.FORBIDDEN.code(),
                    RequestIds.of(ctx));
            return;
        }
        boolean upgrade = "websocket".equalsIgnoreCase(ctx.request().getHeader("Upgrade"));
        ctx.request().pause();
        Context context = Vertx.currentContext();
        authenticator.redeem(claims.get(), upgrade, RequestIds.of(ctx)).subscribe().with(
                principal -> context.runOnContext(v -> {
                    ctx.put(CONNECT_TOKEN_KEY, Boolean.TRUE);
                    authorized(ctx, method, template, scope, principal, next);
                }),
                failure -> context.runOnContext(v -> {
                    ErrorCode sent = BackendErrors.send(ctx, "account-service", failure);
                    if (sent.httpStatus() < 500) {
                        audit.refused(claims.get().accountId(), null, method, template, sent.code(),
                                RequestIds.of(ctx));
                    }
                }));
    }

    private void authorized(RoutingContext ctx, String method, String template, String scope,
            AuthenticateResponse principal, Consumer<AuthenticateResponse> next) {
        if (scope != null && !principal.getFullAccess() && !principal.getScopesList().contains(scope)) {
            ErrorEnvelope.send(ctx, ErrorCode.INSUFFICIENT_SCOPE, Scopes.FULL_ACCESS.equals(scope)
                    ? "this route needs a full-access credential (a key without scopes, or a signed-in user)"
                    : "this route needs the scope " + scope + ", which the key lacks");
            String type = principal.getPrincipalType() == PrincipalType.PRINCIPAL_TYPE_SERVICE_ACCOUNT
                    ? "service_account"
                    : "user";
            audit.refused(principal.getAccount().getId(), type + ":" + principal.getPrincipalId(), method,
                    template, ErrorCode.INSUFFICIENT_SCOPE.code(), RequestIds.of(ctx));
            return;
        }
        if (withinLimits(ctx, rateLimiter.authenticated(principal.getPrincipalId(), principal.getAccount().getId()))
                && idempotencyKeyFits(ctx, method, template)) {
            next.accept(principal);
        }
    }

    /** A malformed Idempotency-Key, or one on a route that runs each time, is refused before anything runs. */
    private static boolean idempotencyKeyFits(RoutingContext ctx, String method, String template) {
        String key = ctx.request().getHeader(IdempotencyKeys.HEADER);
        Optional<Route> route = RouteTable.match(ctx.request().method().name(), template);
        if (key == null || route.isEmpty()) {
            return true;
        }
        var use = IdempotencyKeys.use(route.get(), ctx.request().method().name());
        if (use == IdempotencyKeys.Use.REFUSED) {
            ErrorEnvelope.send(ctx, ErrorCode.INVALID_REQUEST, method + " " + template + " runs each time it is"
                    + " sent and takes no Idempotency-Key (only the services' mutations do)", IdempotencyKeys.HEADER);
            return false;
        }
        Optional<String> problem = IdempotencyKeys.problem(key);
        if (use == IdempotencyKeys.Use.KEPT && problem.isPresent()) {
            ErrorEnvelope.send(ctx, ErrorCode.INVALID_REQUEST, problem.get(), IdempotencyKeys.HEADER);
            return false;
        }
        return true;
    }

    /** Streams the request to its service, or, with an Idempotency-Key on a mutation, runs it once. */
    private void toService(RoutingContext ctx, Route route, AuthenticateResponse principal, String uri) {
        String key = ctx.request().getHeader(IdempotencyKeys.HEADER);
        if (key != null && IdempotencyKeys.use(route, ctx.request().method().name()) == IdempotencyKeys.Use.KEPT) {
            idempotent.forward(ctx, route.backend(), minter.tokenFor(principal), uri, key, principal);
        } else {
            proxy.forward(ctx, route.backend(), minter.tokenFor(principal), uri);
        }
    }

    /** Sets the X-RateLimit headers; answers 429 and returns false when over a limit. */
    private static boolean withinLimits(RoutingContext ctx, RateDecision decision) {
        var headers = ctx.response().headers();
        headers.set("X-RateLimit-Limit", Long.toString(decision.limit()));
        headers.set("X-RateLimit-Remaining", Long.toString(decision.remaining()));
        headers.set("X-RateLimit-Reset", Long.toString(decision.resetSeconds()));
        headers.set("X-RateLimit-Scope", decision.scope());
        if (decision.allowed()) {
            return true;
        }
        headers.set("Retry-After", Long.toString(decision.retryAfterSeconds()));
        ErrorEnvelope.send(ctx, ErrorCode.RATE_LIMITED, "too many requests for this " + decision.scope()
                + "; retry in " + decision.retryAfterSeconds() + " s");
        return false;
    }

    static String bearerToken(String header) {
        if (header == null || header.length() <= 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = header.substring(7).trim();
        return token.isEmpty() ? null : token;
    }
}
