package sh.chaser.agent.api;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Optional;
import org.jboss.logging.Logger;
import sh.chaser.agent.application.RefusedCalls;
import sh.chaser.agent.domain.AgentError;
import sh.chaser.contracts.InternalCallers;
import sh.chaser.contracts.InternalTls;

/**
 * With internal TLS configured, the data plane answers only the gateway's certificate (and still
 * only with its per-request session token, {@link SessionTokenGuard}): a service or another agent
 * holding one of the installation's certificates is refused with 403 before any route runs.
 */
@ApplicationScoped
public class GatewayCertificateGuard {

    private static final Logger LOG = Logger.getLogger(GatewayCertificateGuard.class);

    @Inject
    RefusedCalls refusedCalls;

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
            LOG.warnf("refused %s %s to %s", ctx.request().method(), ctx.normalizedPath(), refused.get());
            refusedCalls.refused(refused.get(), ctx.request().method().name(), ctx.normalizedPath(),
                    AgentError.FORBIDDEN.code());
            Answers.error(ctx, AgentError.FORBIDDEN, "only the gateway calls the data plane; " + refused.get()
                    + " may not");
        });
    }
}
