package sh.chaser.agent.api;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import sh.chaser.agent.application.SandboxActivity;
import sh.chaser.contracts.DataPlaneContract;

/**
 * Every session request the guard let through counts as a use of its sandbox while it is open
 * ({@link SandboxActivity}). A WebSocket outlives its request: it is a use when it opens and when
 * it closes ({@link #end}); while open, its connection lease keeps the session from being idle.
 */
@ApplicationScoped
public class ActivityRoutes {

    private static final String END = "chaser.activity.end";

    @Inject
    SandboxActivity activity;

    void install(@Observes Router router) {
        router.route(DataPlaneContract.SESSIONS_PATH + "*").order(Integer.MIN_VALUE + 2).handler(ctx -> {
            String[] parts = DataPlaneContract.sessionAndOperation(ctx.normalizedPath());
            if (parts != null && "websocket".equalsIgnoreCase(ctx.request().getHeader("Upgrade"))) {
                // open WebSockets hold connection leases, which session-service counts itself
                String sessionId = parts[0];
                activity.touch(sessionId);
                ctx.put(END, (Runnable) () -> activity.touch(sessionId));
            } else if (parts != null) {
                Runnable end = activity.begin(parts[0]);
                ctx.addEndHandler(done -> end.run());
            }
            ctx.next();
        });
    }

    /** A WebSocket route's socket closed. */
    static void end(RoutingContext ctx) {
        Runnable end = ctx.get(END);
        if (end != null) {
            end.run();
        }
    }
}
