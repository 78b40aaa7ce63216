package sh.chaser.gateway.api;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import sh.chaser.gateway.domain.ErrorCode;

/** {@code {"error": {"code", "message", "request_id"}}}, the one error shape of the API. */
public final class ErrorEnvelope {

    private ErrorEnvelope() {}

    public static String json(ErrorCode code, String message, String requestId) {
        return json(code, message, requestId, null);
    }

    static String json(ErrorCode code, String message, String requestId, String field) {
        JsonObject error = new JsonObject().put("code", code.code()).put("message", message);
        if (field != null) {
            error.put("field", field);
        }
        return new JsonObject().put("error", error.put("request_id", requestId)).encode();
    }

    /** Ends the exchange with the envelope; a request body not read yet is drained, not left hanging. */
    public static void send(RoutingContext ctx, ErrorCode code, String message) {
        send(ctx, code, message, null);
    }

    /** The same, naming the one request field at fault. */
    public static void send(RoutingContext ctx, ErrorCode code, String message, String field) {
        if (ctx.response().ended()) {
            return;
        }
        if (!ctx.request().isEnded()) {
            try {
                ctx.request().resume();
            } catch (IllegalStateException alreadyRead) {
                // the body went to a backend that then failed: nothing left to drain
            }
        }
        ctx.response().setStatusCode(code.httpStatus())
                .putHeader("Content-Type", "application/json")
                .end(json(code, message, RequestIds.of(ctx), field));
    }
}
