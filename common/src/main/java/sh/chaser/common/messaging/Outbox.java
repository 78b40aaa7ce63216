package sh.chaser.common.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Message;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Records events in the current transaction; {@link OutboxRelay} publishes them afterwards, so a
 * crash can neither lose an event of a committed change nor publish one of a rolled-back change.
 */
@ApplicationScoped
public class Outbox {

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "quarkus.application.name")
    String source;

    /** An event whose data is one of the payload messages of {@code chaser/events/v1/events.proto}. */
    public Uni<Void> record(String topic, String type, String subject, Message payload) {
        try {
            return record(topic, type, subject, json.readTree(CloudEvents.json(payload)));
        } catch (Exception e) {
            return Uni.createFrom().failure(e);
        }
    }

    /**
     * @param type versioned CloudEvents type, e.g. {@code sh.chaser.account.api_key.revoked.v1}
     * @param subject the aggregate id, also the Kafka key
     */
    public Uni<Void> record(String topic, String type, String subject, Map<String, ?> data) {
        return record(topic, type, subject, (Object) data);
    }

    /**
     * An event whose id and time its producer chose (e.g. a host's journal record), recorded once:
     * nothing when an event with this id is still in the outbox. One relayed and purged already goes
     * again; consumers are idempotent by event id.
     */
    public Uni<Void> recordOnce(UUID id, OffsetDateTime time, String topic, String type, String subject,
            Map<String, ?> data) {
        return Panache.getSession().flatMap(s -> s.find(OutboxEventEntity.class, id).flatMap(known -> known != null
                ? Uni.createFrom().voidItem()
                : persist(id, time, topic, type, subject, data)));
    }

    private Uni<Void> record(String topic, String type, String subject, Object data) {
        return persist(UUID.randomUUID(), OffsetDateTime.now(ZoneOffset.UTC), topic, type, subject, data);
    }

    private Uni<Void> persist(UUID id, OffsetDateTime time, String topic, String type, String subject, Object data) {
        OutboxEventEntity e = new OutboxEventEntity();
        e.id = id;
        e.topic = topic;
        e.aggregateId = subject;
        e.type = type;
        e.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
        try {
            e.payload = json.writeValueAsString(CloudEvents.envelope(e.id, source, type, subject, time, data));
        } catch (Exception ex) {
            return Uni.createFrom().failure(ex);
        }
        return Panache.getSession().flatMap(s -> s.persist(e));
    }
}
