package sh.chaser.account.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import sh.chaser.account.application.PublicEvents;
import sh.chaser.account.application.UsageMeter;
import sh.chaser.account.application.WebhookFanout;
import sh.chaser.account.application.WebhookSender;

/**
 * Session and workspace facts: metered as usage and queued for webhooks, in one transaction. Both
 * are idempotent, so a redelivered or replayed event changes nothing.
 */
@ApplicationScoped
public class PlatformEventsConsumer {

    @Inject
    ObjectMapper json;
    @Inject
    Pool pool;
    @Inject
    PublicEvents publicEvents;
    @Inject
    UsageMeter usage;
    @Inject
    WebhookFanout fanout;
    @Inject
    WebhookSender sender;

    @Incoming("platform-events")
    public Uni<Void> apply(String cloudEvent) throws Exception {
        JsonNode event = json.readTree(cloudEvent);
        PublicEvents.Published published = publicEvents.of(event);
        return pool.withTransaction(tx -> usage.apply(tx, event).chain(() -> published == null
                ? Uni.createFrom().item(0)
                : fanout.queue(tx, event.path("id").asText(), OffsetDateTime.parse(event.path("time").asText()),
                        published)))
                .invoke(queued -> {
                    if (queued > 0) {
                        sender.wake();
                    }
                }).replaceWithVoid();
    }
}
