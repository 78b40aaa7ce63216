package sh.chaser.common.api;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Optional;
import org.jboss.logging.Logger;
import sh.chaser.common.messaging.RefusalRecorder;
import sh.chaser.contracts.ErrorCatalog;
import sh.chaser.contracts.InternalCallers;
import sh.chaser.contracts.InternalTls;
import sh.chaser.proto.errors.v1.ErrorReason;

/**
 * With internal TLS configured, a service's HTTP routes ({@code /v1}) answer only the gateway's
 * certificate: another service or an agent holding one of the installation's certificates is
 * refused (403 {@code forbidden}, audited) before any route reads the request. gRPC does not pass
 * through the router; {@code CallerGuard} checks it.
 */
@ApplicationScoped
public class GatewayCertificateFilter {

    private static final Logger LOG = Logger.getLogger(GatewayCertificateFilter.class);

    @Inject
    RefusalRecorder refusals;

    void install(@Observes Router router) {
        if (InternalTls.fromConfig().isEmpty()) {
            return;
        }
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            Optional<String> refused = InternalCallers.notTheGateway(ctx.request());
            if (refused.isEmpty()) {
                ctx.next();
                return;
            }
            ErrorCatalog.Entry refusal = ErrorCatalog.of(ErrorReason.FORBIDDEN);
            String caller = refused.get();
            String requestId = ctx.request().getHeader(ErrorEnvelope.REQUEST_ID);
            LOG.warnf("refused %s %s to %s", ctx.request().method(), ctx.normalizedPath(), caller);
            refusals.refused(null, "service", caller, ctx.request().method().name(), ctx.normalizedPath(),
                    refusal.code(), requestId);
            ctx.response().setStatusCode(refusal.httpStatus()).putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("error", new JsonObject().put("code", refusal.code())
                            .put("message", "only the gateway calls this service's HTTP API; " + caller + " may not")
                            .put("request_id", requestId)).encode());
        });
    }
}
