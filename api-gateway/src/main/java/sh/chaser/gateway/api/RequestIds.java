package sh.chaser.gateway.api;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.UUID;
import sh.chaser.gateway.domain.ErrorCode;

/**
 * Every response carries {@code X-Request-Id}, also those no resource produced; a request with no
 * route gets the 404 envelope rather than an empty body.
 */
@ApplicationScoped
public class RequestIds {

    public static final String HEADER = "X-Request-Id";
    private static final String KEY = "chaser.request-id";

    public static String of(RoutingContext ctx) {
        String id = ctx.get(KEY);
        return id != null ? id : "";
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            String id = UUID.randomUUID().toString();
            ctx.put(KEY, id);
            ctx.response().putHeader(HEADER, id);
            ctx.next();
        });
        router.errorHandler(404, ctx -> ctx.response().setStatusCode(404)
                .putHeader("Content-Type", "application/json")
                .end(ErrorEnvelope.json(ErrorCode.NOT_FOUND, "no such route: " + ctx.request().path(), of(ctx))));
    }
}
