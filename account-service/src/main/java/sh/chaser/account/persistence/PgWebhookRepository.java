package sh.chaser.account.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class PgWebhookRepository implements PanacheRepositoryBase<WebhookEntity, UUID> {

    public Uni<WebhookEntity> live(UUID accountId, UUID id) {
        return find("id = ?1 and accountId = ?2 and deletedAt is null", id, accountId).firstResult();
    }

    public Uni<List<WebhookEntity>> liveOf(UUID accountId) {
        return list("accountId = ?1 and deletedAt is null order by createdAt desc", accountId);
    }

    /** Deliveries not yet made are not made any more. */
    public Uni<Integer> cancelPending(UUID webhookId) {
        return getSession().flatMap(s -> s.createNativeQuery("UPDATE webhook_deliveries SET status = 'cancelled',"
                + " next_attempt_at = NULL, completed_at = now() WHERE webhook_id = :id AND status = 'pending'")
                .setParameter("id", webhookId).executeUpdate());
    }
}
