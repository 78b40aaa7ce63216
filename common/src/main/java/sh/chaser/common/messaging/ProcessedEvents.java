package sh.chaser.common.messaging;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Idempotent consumers: an event id is applied once. Call inside the transaction that applies the
 * event; the service's {@code processed_events} table (event_id text primary key, processed_at) keeps the ids.
 */
public final class ProcessedEvents {

    private ProcessedEvents() {}

    /** True the first time {@code eventId} is seen (and records it), false on every replay. */
    public static Uni<Boolean> firstTime(String eventId) {
        return Panache.getSession().flatMap(s -> s.createNativeQuery(
                "INSERT INTO processed_events (event_id, processed_at) VALUES (:id, now()) ON CONFLICT DO NOTHING")
                .setParameter("id", eventId).executeUpdate()).map(n -> n > 0);
    }
}
