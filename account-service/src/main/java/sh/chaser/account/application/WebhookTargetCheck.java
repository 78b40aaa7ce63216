package sh.chaser.account.application;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import sh.chaser.account.config.AccountConfig;
import sh.chaser.account.domain.Cidr;
import sh.chaser.account.domain.ErrorCode;
import sh.chaser.account.domain.WebhookTargets;
import sh.chaser.common.api.ServiceException;

/** Resolves a webhook's host (off the event loop) and applies {@link WebhookTargets}' rules. */
@ApplicationScoped
public class WebhookTargetCheck {

    /** A URL that passed, and the address to connect to. */
    public record Checked(WebhookTargets.Target target, InetAddress address) {

        public java.net.URI uri() {
            return target.uri();
        }
    }

    private final WebhookTargets rules;

    @Inject
    Vertx vertx;

    @Inject
    public WebhookTargetCheck(AccountConfig config) {
        this.rules = new WebhookTargets(config.webhooks().allowLoopback(),
                config.webhooks().allowedNetworks().orElse(List.of()).stream().map(Cidr::parse).toList());
    }

    /** Fails with 400 invalid_request (field url) when the URL or any address it resolves to is refused. */
    public Uni<Checked> check(String url) {
        WebhookTargets.Target target;
        try {
            target = rules.parse(url);
        } catch (ServiceException e) {
            return Uni.createFrom().failure(e);
        }
        return vertx.executeBlocking(Uni.createFrom().item(() -> {
            try {
                return List.of(InetAddress.getAllByName(target.host()));
            } catch (UnknownHostException e) {
                throw new ServiceException(ErrorCode.INVALID_REQUEST,
                        "url's host " + target.host() + " does not resolve",
                        "url");
            }
        })).map(addresses -> new Checked(target, rules.choose(target, addresses)));
    }
}
