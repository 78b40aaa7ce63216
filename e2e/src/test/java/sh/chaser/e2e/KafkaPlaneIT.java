package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import sh.chaser.contracts.AuditEvents;
import sh.chaser.contracts.InternalCallers;

/**
 * An attacker on the host network against the platform's Kafka broker: no answer without TLS,
 * without a client certificate or with one of another CA; with a stolen certificate of one
 * process, no write to a topic that process does not own (the whole table: identity x topic), no
 * read of another's topic, no joining another's consumer group. The writes each identity is allowed
 * are listed here on their own (the policy, stated twice: launcher/KafkaAcls and this table); the
 * rest of the suite running end to end is their proof, and the gateway's audit write is the probe's
 * positive control.
 */
@PlatformHost
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaPlaneIT {

    private static final List<String> TOPICS = List.of("chaser.accounts.v1", "chaser.workspaces.v1",
            "chaser.sessions.v1", "chaser.hosts.v1", "chaser.audit.v1", "chaser.audit.v1.dlq",
            "chaser.account.platform-events.dlq", "chaser.workspaces.v1.dlq");

    private LocalPlatform platform;
    private Map<String, Set<String>> writes;

    @BeforeAll
    void up() throws Exception {
        platform = SharedPlatform.get();
        writes = Map.of(InternalCallers.GATEWAY, Set.of("chaser.audit.v1"),
                InternalCallers.ACCOUNT, Set.of("chaser.accounts.v1", "chaser.audit.v1", "chaser.audit.v1.dlq",
                        "chaser.account.platform-events.dlq"),
                InternalCallers.WORKSPACE, Set.of("chaser.workspaces.v1", "chaser.audit.v1"),
                InternalCallers.SESSION, Set.of("chaser.sessions.v1", "chaser.hosts.v1", "chaser.audit.v1",
                        "chaser.workspaces.v1.dlq"),
                InternalCallers.AGENT + "/" + platform.hostId(), Set.of());
    }

    private static Properties quick(Properties p) {
        p.put("request.timeout.ms", "5000");
        p.put("default.api.timeout.ms", "8000");
        p.put("max.block.ms", "8000");
        p.put("delivery.timeout.ms", "8000");
        p.put("enable.idempotence", "false");
        p.put("reconnect.backoff.max.ms", "1000");
        return p;
    }

    /** Whether a client with these settings gets a cluster description within the deadline. */
    private static boolean answered(Properties p) {
        try (Admin admin = Admin.create(quick(p))) {
            return !admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void noAnswerWithoutTlsOrWithoutACertificateOfTheInstallation() throws Exception {
        Properties admin = platform.kafka(LocalPlatform.KAFKA_ADMIN);
        assertTrue(answered(admin), "positive control: the broker answers its admin certificate");
        Properties plaintext = new Properties();
        plaintext.put("bootstrap.servers", admin.get("bootstrap.servers"));
        assertFalse(answered(plaintext), "plaintext");
        Properties noCertificate = platform.kafka(InternalCallers.GATEWAY);
        noCertificate.remove("ssl.keystore.location");
        noCertificate.remove("ssl.keystore.type");
        assertFalse(answered(noCertificate), "TLS without a client certificate");
        // a certificate naming a service, signed by a CA of the attacker's own
        Path dir = Files.createTempDirectory("kafka-rogue");
        new Shell(Map.of()).run("cd " + dir + " && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 "
                + "-nodes -subj '/O=Chaser/CN=session-service' -days 1 -keyout k.pem -out c.pem 2>/dev/null"
                + " && cat k.pem c.pem > rogue.pem");
        Properties rogue = platform.kafka(InternalCallers.SESSION);
        rogue.put("ssl.keystore.location", dir.resolve("rogue.pem").toString());
        assertFalse(answered(rogue), "a certificate of another CA");
    }

    /** Every identity's write to every topic it does not own is refused; the gateway's audit write lands. */
    @Test
    void eachIdentityWritesOnlyItsOwnTopics() throws Exception {
        List<String> wrong = new ArrayList<>();
        int refused = 0;
        for (var entry : writes.entrySet()) {
            try (var producer = new KafkaProducer<>(quick(platform.kafka(entry.getKey())), new StringSerializer(),
                    new StringSerializer())) {
                for (String topic : TOPICS) {
                    if (entry.getValue().contains(topic)) {
                        continue;
                    }
                    var forged = new ProducerRecord<>(topic, "forged", "{\"type\":\"forged\"}");
                    ExecutionException e = assertThrows(ExecutionException.class,
                            () -> producer.send(forged).get(15, TimeUnit.SECONDS), entry.getKey() + " -> " + topic);
                    if (!(e.getCause() instanceof TopicAuthorizationException)) {
                        wrong.add(entry.getKey() + " -> " + topic + ": " + e.getCause());
                    }
                    refused++;
                }
            }
        }
        assertEquals(List.of(), wrong, "writes refused for another reason than authorisation");
        assertEquals(29, refused, "the table's refused cells");
        // positive control: the probe sees a write that is allowed (a well-formed refusal, as the gateway sends)
        String event = new ObjectMapper()
                .writeValueAsString(AuditEvents.refused("/api-gateway", null, null, null, "GET",
                        "/v1/kafka-plane-it", "unauthorized", UUID.randomUUID().toString()));
        try (var producer = new KafkaProducer<>(quick(platform.kafka(InternalCallers.GATEWAY)), new StringSerializer(),
                new StringSerializer())) {
            assertTrue(producer.send(new ProducerRecord<>(AuditEvents.TOPIC, "kafka-plane-it", event))
                    .get(15, TimeUnit.SECONDS).hasOffset());
        }
    }

    @Test
    void theGatewayReadsNoServiceTopicAndJoinsNoServiceGroup() throws Exception {
        Properties asGateway = quick(platform.kafka(InternalCallers.GATEWAY));
        asGateway.put("group.id", "api-gateway-kafka-plane-it");
        asGateway.put("auto.offset.reset", "earliest");
        try (var consumer = new KafkaConsumer<>(asGateway, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("chaser.sessions.v1"));
            var e = assertThrows(RuntimeException.class, () -> pollUntilFailure(consumer));
            assertInstanceOf(TopicAuthorizationException.class, e, "reading chaser.sessions.v1");
        }
        // account-service's audit group: a member would take its partitions (and commit its offsets)
        asGateway.put("group.id", "account-service-audit");
        try (var consumer = new KafkaConsumer<>(asGateway, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("chaser.accounts.v1"));
            var e = assertThrows(RuntimeException.class, () -> pollUntilFailure(consumer));
            assertInstanceOf(GroupAuthorizationException.class, e, "joining account-service-audit");
        }
        // positive control: its own topic under its own group prefix is readable
        asGateway.put("group.id", "api-gateway-kafka-plane-it");
        try (var consumer = new KafkaConsumer<>(asGateway, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("chaser.accounts.v1"));
            Await.until(() -> {
                consumer.poll(Duration.ofMillis(500));
                return !consumer.assignment().isEmpty();
            }, 30, "the gateway's own consumer group gets chaser.accounts.v1's partitions");
        }
    }

    /** Polls until the broker's refusal surfaces (it arrives with a poll, not at subscribe). */
    private static void pollUntilFailure(KafkaConsumer<String, String> consumer) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(500));
        }
        throw new AssertionError("no refusal within 30 s: the read was allowed");
    }
}
