package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import sh.chaser.contracts.AuditEvents;
import sh.chaser.contracts.InternalCallers;

/**
 * An event no consumer can read (a process writing garbage to a topic it owns) goes to each
 * consumer's dead-letter topic and does not stop it: what follows is still consumed.
 */
@PlatformHost
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeadLettersIT {

    private LocalPlatform platform;
    private Api api;
    private String key;

    @BeforeAll
    void up() throws Exception {
        platform = SharedPlatform.get();
        api = new Api(platform.apiUrl());
        key = SharedPlatform.credentials().get("CHASER_API_KEY");
    }

    @Test
    void unreadableEventsReachEachConsumersDeadLetterTopicAndTheNextOneIsConsumed() throws Exception {
        String poison = "{not json " + UUID.randomUUID();
        send(InternalCallers.GATEWAY, AuditEvents.TOPIC, poison);
        send(InternalCallers.WORKSPACE, "chaser.workspaces.v1", poison);
        Set<String> missing = new HashSet<>(List.of("chaser.audit.v1.dlq", "chaser.account.platform-events.dlq",
                "chaser.workspaces.v1.dlq"));
        Properties reader = platform.kafka(LocalPlatform.KAFKA_ADMIN);
        reader.put("group.id", "dead-letters-it-" + UUID.randomUUID());
        reader.put("auto.offset.reset", "earliest");
        try (var consumer = new KafkaConsumer<>(reader, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.copyOf(missing));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!missing.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofSeconds(1)).forEach(r -> {
                    if (poison.equals(r.value())) {
                        missing.remove(r.topic());
                    }
                });
            }
        }
        assertTrue(missing.isEmpty(), "the unreadable event never reached " + missing);

        // the consumer goes on (the dead-letter strategy acknowledges what it set aside): the audit after it lands
        String requestId = UUID.randomUUID().toString();
        send(InternalCallers.GATEWAY, AuditEvents.TOPIC, new ObjectMapper().writeValueAsString(AuditEvents.refused(
                "/api-gateway", accountId(), "user", null, "GET", "/v1/dead-letters-it", "unauthorized", requestId)));
        Await.until(() -> api.get("/v1/audit/events?action=request.refused&limit=500", key).body().get("data")
                .toString().contains(requestId), 60, "the audit event after the unreadable one is stored");
    }

    private String accountId() throws Exception {
        return api.get("/v1/accounts/current", key).body().get("id").asText();
    }

    private void send(String identity, String topic, String value) throws Exception {
        try (var producer = new KafkaProducer<>(platform.kafka(identity), new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "dead-letters-it", value)).get(15, TimeUnit.SECONDS);
        }
    }
}
