package sh.chaser.gateway.api;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import sh.chaser.gateway.application.ExecRecorder;
import sh.chaser.gateway.application.StreamLeases;
import sh.chaser.gateway.config.GatewayConfig;

/**
 * {@code POST .../exec} on the data plane: relayed straight to the session's vm-agent, with nothing
 * of session-service's in the request path. A command that outlasts
 * {@code chaser.gateway.data-plane.exec-lease-after} holds a connection lease from then until its
 * answer; the audit record is sent after the answer.
 */
@ApplicationScoped
public class ExecRelay {

    private static final Logger LOG = Logger.getLogger(ExecRelay.class);

    @Inject
    Vertx vertx;
    @Inject
    HostRelay relay;
    @Inject
    StreamLeases leases;
    @Inject
    ExecRecorder recorder;
    @Inject
    GatewayConfig config;

    void serve(RoutingContext ctx, HostTarget target) {
        String accountId = target.principal().getAccount().getId();
        String sessionId = target.session().getSessionId();
        Context context = Vertx.currentContext();
        String[] lease = new String[1];
        boolean[] done = new boolean[1];
        long timer = vertx.setTimer(Math.max(1, config.dataPlane().execLeaseAfter().toMillis()),
                t -> leases.acquire(accountId, sessionId, "exec", () -> {}).subscribe().with(
                        id -> context.runOnContext(v -> {
                            if (done[0]) {
                                leases.release(id);
                            } else {
                                lease[0] = id;
                            }
                        }),
                        failure -> LOG.debugf("exec in %s runs without a lease: %s", sessionId, failure.getMessage())));
        Handler<Void> end = v -> {
            if (!done[0]) {
                done[0] = true;
                vertx.cancelTimer(timer);
                leases.release(lease[0]);
            }
        };
        ctx.response().endHandler(end);
        ctx.response().closeHandler(end);
        relay.exec(ctx, target, result -> recorder.executed(accountId, HostRelay.actor(target.principal()), sessionId,
                RequestIds.of(ctx), result));
    }
}
