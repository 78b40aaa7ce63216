package sh.chaser.gateway.api;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import sh.chaser.gateway.application.ConnectTokens;
import sh.chaser.gateway.application.SessionLocations;
import sh.chaser.gateway.domain.ConnectPurpose;
import sh.chaser.gateway.domain.ErrorCode;
import sh.chaser.proto.account.v1.AuthenticateResponse;

/**
 * {@code POST /v1/sessions/{id}/connect-token} with an optional {@code {"purpose"}}: a token for one
 * session of the caller's account and one kind of operation (default: a sandbox's pty, a browser's
 * devtools). A connect token never reaches it: the route has no purpose, so ApiPipeline refuses one (403).
 */
@ApplicationScoped
public class ConnectTokenResource {

    @Inject
    ConnectTokens tokens;
    @Inject
    SessionLocations locations;

    void create(RoutingContext ctx, String sessionId, AuthenticateResponse principal) {
        Context context = Vertx.currentContext();
        ctx.request().body().onComplete(body -> context.runOnContext(v -> {
            if (body.failed()) {
                ErrorEnvelope.send(ctx, ErrorCode.INVALID_REQUEST, "the request body could not be read");
                return;
            }
            String asked;
            try {
                asked = purposeIn(body.result());
            } catch (DecodeException | ClassCastException e) {
                invalidPurpose(ctx, "the body must be a JSON object like {\"purpose\": \"pty\"}");
                return;
            }
            Optional<ConnectPurpose> purpose = asked == null ? Optional.empty() : ConnectPurpose.parse(asked);
            if (asked != null && purpose.isEmpty()) {
                invalidPurpose(ctx, "purpose must be one of " + ConnectPurpose.listed());
                return;
            }
            mint(ctx, sessionId, purpose, principal);
        }));
        ctx.request().resume();
    }

    private void mint(RoutingContext ctx, String sessionId, Optional<ConnectPurpose> purpose,
            AuthenticateResponse principal) {
        Context context = Vertx.currentContext();
        locations.locate(principal.getAccount().getId(), sessionId, true).subscribe().with(
                found -> context.runOnContext(v -> {
                    if ("terminated".equals(found.getStatus())) {
                        ErrorEnvelope.send(ctx, ErrorCode.SESSION_NOT_RUNNING,
                                "session " + sessionId + " is terminated");
                        return;
                    }
                    var minted = tokens.mint(found.getSessionId(),
                            purpose.orElse(ConnectPurpose.defaultFor(found.getSessionType())), principal);
                    ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json")
                            .end(new JsonObject().put("token", minted.token()).put("session_id", found.getSessionId())
                                    .put("purpose", minted.purpose().value())
                                    .put("expires_at", minted.expiresAt().toString()).encode());
                }),
                failure -> context.runOnContext(v -> BackendErrors.send(ctx, "session-service", failure)));
    }

    /** The body's {@code purpose}, or null when the body is empty or names none. */
    private static String purposeIn(Buffer body) {
        if (body == null || body.length() == 0 || body.toString().isBlank()) {
            return null;
        }
        Object purpose = new JsonObject(body).getValue("purpose");
        return purpose == null ? null : (String) purpose;
    }

    private static void invalidPurpose(RoutingContext ctx, String message) {
        ErrorEnvelope.send(ctx, ErrorCode.INVALID_REQUEST, message, "purpose");
    }
}
