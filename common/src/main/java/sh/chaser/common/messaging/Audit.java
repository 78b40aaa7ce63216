package sh.chaser.common.messaging;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import sh.chaser.common.security.Actor;
import sh.chaser.common.security.InternalCaller;
import sh.chaser.contracts.AuditEvents;

/** Records an audited act in the current transaction, through the outbox, for account-service to store. */
@ApplicationScoped
public class Audit {

    public static final String TYPE = sh.chaser.contracts.AuditEvents.TYPE;

    @Inject
    Outbox outbox;

    public Uni<Void> success(InternalCaller caller, String action, String resourceType, String resourceId,
            String summary, Map<String, ?> metadata) {
        return success(Actor.of(caller), action, resourceType, resourceId, summary, metadata);
    }

    public Uni<Void> success(Actor actor, String action, String resourceType, String resourceId,
            String summary, Map<String, ?> metadata) {
        Map<String, Object> data = AuditEvents.successData(actor.accountId().toString(),
                actor.type(), actor.id(), action, resourceType, resourceId, summary, metadata);
        return outbox.record(Topics.AUDIT, TYPE, actor.accountId().toString(), data);
    }
}
