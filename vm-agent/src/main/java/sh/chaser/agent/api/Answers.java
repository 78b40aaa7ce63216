package sh.chaser.agent.api;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.jboss.logging.Logger;
import sh.chaser.agent.domain.AgentError;
import sh.chaser.agent.domain.AgentException;

/**
 * How the data plane answers: JSON, and refusals in the public API's error envelope with the
 * gateway's request id, so the gateway passes them through unchanged. {@code X-Chaser-Error-Code}
 * repeats the code for the gateway (it audits {@code path_not_allowed}).
 */
final class Answers {

    private static final Logger LOG = Logger.getLogger(Answers.class);

    private Answers() {}

    static void json(RoutingContext ctx, int status, JsonObject body) {
        if (!ctx.response().ended() && !ctx.response().closed()) {
            ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
        }
    }

    static void error(RoutingContext ctx, AgentError error, String message) {
        error(ctx, error, message, null);
    }

    /** A request refused for its {@code field}. */
    static void invalid(RoutingContext ctx, String message, String field) {
        error(ctx, AgentError.INVALID_REQUEST, message, field);
    }

    private static void error(RoutingContext ctx, AgentError error, String message, String field) {
        if (ctx.response().ended() || ctx.response().closed() || ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        String requestId = ctx.request().getHeader("X-Request-Id");
        JsonObject body = new JsonObject().put("code", error.code()).put("message", message)
                .put("request_id", requestId == null ? "" : requestId);
        if (field != null) {
            body.put("field", field);
        }
        ctx.response().putHeader(sh.chaser.contracts.DataPlaneContract.ERROR_CODE_HEADER, error.code());
        json(ctx, error.httpStatus(), new JsonObject().put("error", body));
    }

    static void failure(RoutingContext ctx, Throwable failure) {
        if (failure instanceof AgentException e) {
            error(ctx, e.error(), e.getMessage());
            return;
        }
        LOG.errorf(failure, "data plane request %s %s failed", ctx.request().method(), ctx.request().path());
        error(ctx, AgentError.INTERNAL, "the host could not complete the request");
    }

    /** Runs blocking work off the event loop, then hands its result to {@code then} on the request's context. */
    static <T> void blocking(RoutingContext ctx, Callable<T> work, Consumer<T> then) {
        ctx.vertx().<T>executeBlocking(work::call, false).onComplete(done -> {
            if (done.succeeded()) {
                try {
                    then.accept(done.result());
                } catch (RuntimeException e) {
                    failure(ctx, e);
                }
            } else {
                failure(ctx, done.cause());
            }
        });
    }

    static JsonObject body(RoutingContext ctx) {
        try {
            String text = ctx.body() == null ? null : ctx.body().asString();
            return text == null || text.isBlank() ? new JsonObject() : new JsonObject(text);
        } catch (RuntimeException e) {
            throw AgentError.INVALID_REQUEST.exception("send the body as a JSON object");
        }
    }
}
