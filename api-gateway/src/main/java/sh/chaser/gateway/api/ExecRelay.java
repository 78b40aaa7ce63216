package sh.chaser.gateway.api;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import sh.chaser.gateway.application.StreamLeases;
import sh.chaser.gateway.config.GatewayConfig;

/**
 * {@code POST .../exec} on the data plane: relayed straight to the session's vm-agent, with nothing
 * of session-service's in the request path. A command that outlasts
 * {@code chaser.gateway.data-plane.exec-lease-after} holds a connection lease from then until its
 * answer, released before the answer is passed on. The host journals the exec for the audit trail
 * before it answers, with the actor this gateway names (see HostRelay); nothing of it waits here.
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
    GatewayConfig config;

    void serve(RoutingContext ctx, HostTarget target) {
        String accountId = target.principal().getAccount().getId();
        String sessionId = target.session().getSessionId();
        Context context = Vertx.currentContext();
        Promise<String> lease = Promise.promise();
        boolean[] asked = new boolean[1];
        long timer = vertx.setTimer(Math.max(1, config.dataPlane().execLeaseAfter().toMillis()), t -> {
            asked[0] = true;
            leases.acquire(accountId, sessionId, "exec", () -> {}).subscribe().with(
                    id -> context.runOnContext(v -> {
                        if (!lease.tryComplete(id)) {
                            leases.release(id);
                        }
                    }),
                    failure -> context.runOnContext(v -> {
                        LOG.debugf("exec in %s runs without a lease: %s", sessionId, failure.getMessage());
                        lease.tryComplete(null);
                    }));
        });
        // an answer that never comes (the client or the host went away): the lease goes anyway
        ctx.addEndHandler(ended -> {
            vertx.cancelTimer(timer);
            lease.future().onSuccess(leases::release);
        });
        relay.exec(ctx, target, ran -> {
            vertx.cancelTimer(timer);
            if (!asked[0]) {
                lease.tryComplete(null);
                return Future.succeededFuture();
            }
            // released before the answer goes out: a terminate sent right after it must not find the lease
            return lease.future().compose(id -> id == null
                    ? Future.succeededFuture()
                    : Future.fromCompletionStage(leases.released(id).subscribeAsCompletionStage(), context))
                    .recover(failure -> Future.succeededFuture());
        });
    }
}
