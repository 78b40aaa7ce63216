package sh.chaser.gateway.api;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import sh.chaser.gateway.domain.DotSegments;
import sh.chaser.gateway.domain.ErrorCode;

/**
 * Refuses a path with dot segments before routing, authentication or relaying read it: the gateway
 * authorises a session by the path it is given, so that path must be the one every later reader sees.
 */
@ApplicationScoped
public class PathGuard {

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 1).handler(ctx -> {
            if (DotSegments.in(ctx.request().path())) {
                ErrorEnvelope.send(ctx, ErrorCode.INVALID_REQUEST, "the path has a '.' or '..' segment (raw or "
                        + "percent-encoded); send the resource's own path");
                return;
            }
            ctx.next();
        });
    }
}
