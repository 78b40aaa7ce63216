package sh.chaser.account.application;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import sh.chaser.account.domain.ErrorCode;
import sh.chaser.account.domain.WebhookEventTypes;
import sh.chaser.account.persistence.PgWebhookRepository;
import sh.chaser.account.persistence.WebhookEntity;
import sh.chaser.common.api.ServiceException;
import sh.chaser.common.messaging.Audit;
import sh.chaser.common.security.InternalCaller;

/** An account's webhooks: owners and admins create and delete them, every member lists them. */
@ApplicationScoped
public class ManageWebhooks {

    private static final int DESCRIPTION_MAX = 500;
    private static final int PER_ACCOUNT = 20;

    /** @param secret the signing secret, in the create response only */
    public record Created(WebhookEntity webhook, String secret) {}

    @Inject
    PgWebhookRepository webhooks;
    @Inject
    WebhookSecrets secrets;
    @Inject
    WebhookTargetCheck targets;
    @Inject
    Audit audit;

    public Uni<Created> create(InternalCaller caller, String url, List<String> events, String description) {
        CallerRules.requireOwnerOrAdmin(caller, "only owners and admins manage webhooks");
        List<String> types = WebhookEventTypes.validate(events);
        if (description != null && description.length() > DESCRIPTION_MAX) {
            throw new ServiceException(ErrorCode.INVALID_REQUEST, "description is at most " + DESCRIPTION_MAX
                    + " characters", "description");
        }
        return targets.check(url).chain(target -> insert(caller, target.uri().toString(), types, description));
    }

    private Uni<Created> insert(InternalCaller caller, String url, List<String> types, String description) {
        return Panache.withTransaction(
                () -> webhooks.count("accountId = ?1 and deletedAt is null", caller.accountId()).flatMap(n -> {
                    if (n >= PER_ACCOUNT) {
                        throw new ServiceException(ErrorCode.INVALID_REQUEST, "an account has at most " + PER_ACCOUNT
                                + " webhooks; delete one first");
                    }
                    String secret = secrets.generate();
                    WebhookEntity w = new WebhookEntity();
                    w.id = UUID.randomUUID();
                    w.accountId = caller.accountId();
                    w.url = url;
                    w.events = types.toArray(String[]::new);
                    w.description = description;
                    w.secretSealed = secrets.seal(secret);
                    w.secretPrefix = secret.substring(0, WebhookSecrets.PREFIX.length() + 4);
                    w.createdByType = caller.isUser() ? "user" : "service_account";
                    w.createdById = caller.principalId().toString();
                    w.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
                    return webhooks.persist(w)
                            .call(() -> audit.success(caller, "webhook.create", "webhook", w.id.toString(),
                                    "created webhook to " + url, Map.of("url", url, "events", types)))
                            .replaceWith(new Created(w, secret));
                }));
    }

    @WithSession
    public Uni<List<WebhookEntity>> list(InternalCaller caller) {
        return webhooks.liveOf(caller.accountId());
    }

    @WithSession
    public Uni<WebhookEntity> get(InternalCaller caller, UUID id) {
        return webhooks.live(caller.accountId(), id).map(w -> {
            if (w == null) {
                throw notFound(id);
            }
            return w;
        });
    }

    /** The webhook stops: no new deliveries, pending ones cancelled; its deliveries stay listed nowhere. */
    @WithTransaction
    public Uni<Void> delete(InternalCaller caller, UUID id) {
        CallerRules.requireOwnerOrAdmin(caller, "only owners and admins manage webhooks");
        return webhooks.live(caller.accountId(), id).flatMap(w -> {
            if (w == null) {
                throw notFound(id);
            }
            w.deletedAt = OffsetDateTime.now(ZoneOffset.UTC);
            return webhooks.cancelPending(id).call(() -> audit.success(caller, "webhook.delete", "webhook",
                    id.toString(), "deleted webhook to " + w.url, Map.of("url", w.url))).replaceWithVoid();
        });
    }

    public static ServiceException notFound(Object id) {
        return new ServiceException(ErrorCode.WEBHOOK_NOT_FOUND, "no webhook " + id + " in this account");
    }
}
