package sh.chaser.gateway.api;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import sh.chaser.gateway.application.ConnectTokens;
import sh.chaser.gateway.application.SessionLocations;
import sh.chaser.gateway.domain.ErrorCode;
import sh.chaser.proto.account.v1.AuthenticateResponse;

/** {@code POST /v1/sessions/{id}/connect-token}: a short-lived token for one session of the caller's account. */
@ApplicationScoped
public class ConnectTokenResource {

    @Inject
    ConnectTokens tokens;
    @Inject
    SessionLocations locations;

    void create(RoutingContext ctx, String sessionId, AuthenticateResponse principal) {
        if (ctx.request().getParam("token") != null && ctx.request().getHeader("Authorization") == null) {
            ErrorEnvelope.send(ctx, ErrorCode.FORBIDDEN, "a connect token cannot make another; use an API key");
            return;
        }
        Context context = Vertx.currentContext();
        locations.locate(principal.getAccount().getId(), sessionId, true).subscribe().with(
                found -> context.runOnContext(v -> {
                    if ("terminated".equals(found.getStatus())) {
                        ErrorEnvelope.send(ctx, ErrorCode.SESSION_NOT_RUNNING, "session " + sessionId + " is terminated");
                        return;
                    }
                    var minted = tokens.mint(found.getSessionId(), principal);
                    ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json")
                            .end(new JsonObject().put("token", minted.token()).put("session_id", found.getSessionId())
                                    .put("expires_at", minted.expiresAt().toString()).encode());
                }),
                failure -> context.runOnContext(v -> BackendErrors.send(ctx, "session-service", failure)));
    }
}
