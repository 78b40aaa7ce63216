package sh.chaser.account;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sh.chaser.testkit.ServiceDatabase;
import sh.chaser.testkit.ServiceInfraResource;
import sh.chaser.testkit.TestKafka;

@QuarkusTest
@QuarkusTestResource(value = ServiceInfraResource.class, initArgs = @ResourceArg(name = "database", value = "chaser_account"))
class AuditTest {

    private static final Duration WITHIN = Duration.ofSeconds(20);
    UUID owner;
    UUID account;

    @BeforeEach
    void aUser() {
        owner = UUID.fromString(TestUsers.create("audit-" + UUID.randomUUID() + "@example.com"));
        account = UUID.fromString(TestUsers.personalAccount(owner));
    }

    @Test
    void mutationsAreAuditedAndReadableByOwners() {
        String keyId = MembersTest.as(owner, account, "owner").body("{\"name\":\"audited\"}").post("/v1/api-keys")
                .then().statusCode(201).extract().path("id");
        MembersTest.as(owner, account, "owner").delete("/v1/api-keys/" + keyId).then().statusCode(204);

        await().atMost(WITHIN).untilAsserted(() -> MembersTest.as(owner, account, "owner")
                .get("/v1/audit/events?resource_id=" + keyId).then().statusCode(200)
                .body("data.action", hasItem("api_key.revoke"))
                .body("data.action", hasItem("api_key.create")));
        MembersTest.as(owner, account, "owner").get("/v1/audit/events?action=api_key.create&resource_id=" + keyId)
                .then().statusCode(200)
                .body("data.size()", equalTo(1))
                .body("data[0].actor_type", equalTo("user"))
                .body("data[0].actor_id", equalTo(owner.toString()))
                .body("data[0].status", equalTo("success"))
                .body("data[0].resource_type", equalTo("api_key"));

        UUID member = UUID.randomUUID();
        String refusedId = MembersTest.as(member, account, "member").header("X-Request-Id", "refused-" + keyId)
                .get("/v1/audit/events").then().statusCode(403).extract().header("X-Request-Id");
        await().atMost(WITHIN).untilAsserted(() -> MembersTest.as(owner, account, "owner")
                .get("/v1/audit/events?action=request.refused&status=failure").then().statusCode(200)
                .body("data.metadata.request_id", hasItem(refusedId))
                .body("data.actor_id", hasItem(member.toString())));
        MembersTest.as(owner, account, "owner").get("/v1/audit/events?limit=501").then().statusCode(400)
                .body("error.field", equalTo("limit"));
        MembersTest.as(owner, account, "owner").get("/v1/audit/events?before=yesterday").then().statusCode(400);
        MembersTest.as(UUID.randomUUID(), UUID.randomUUID(), "owner").get("/v1/audit/events?resource_id=" + keyId)
                .then().statusCode(200).body("data.size()", equalTo(0));
    }

    @Test
    void aRevocationIsPublishedForGateways() {
        String keyId = MembersTest.as(owner, account, "owner").body("{}").post("/v1/api-keys").then().statusCode(201)
                .extract().path("id");
        Properties p = TestKafka.clientProperties();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "audit-test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // The topic may not exist yet: look for it again soon rather than in 5 minutes.
        p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "500");
        try (var consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("chaser.accounts.v1"));
            MembersTest.as(owner, account, "owner").delete("/v1/api-keys/" + keyId).then().statusCode(204);
            List<JsonNode> seen = new ArrayList<>();
            ObjectMapper json = new ObjectMapper();
            await().atMost(WITHIN).pollInSameThread().until(() -> {
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                    if (keyId.equals(r.key())) {
                        seen.add(json.readTree(r.value()));
                    }
                }
                return seen.stream()
                        .anyMatch(e -> e.path("type").asText().equals("sh.chaser.account.api_key.revoked.v1")
                                && e.path("specversion").asText().equals("1.0")
                                && e.path("data").path("key_id").asText().equals(keyId));
            });
        }
    }

    @Test
    void aRedeliveredEventIsStoredOnce() throws Exception {
        String id = UUID.randomUUID().toString();
        String event = "{\"specversion\":\"1.0\",\"id\":\"" + id
                + "\",\"source\":\"/test\",\"type\":\"sh.chaser.audit.recorded.v1\","
                + "\"time\":\"" + Instant.now() + "\",\"data\":{\"account_id\":\"" + account
                + "\",\"action\":\"test.twice\","
                + "\"status\":\"failure\",\"metadata\":{}}}";
        Properties p = TestKafka.clientProperties();
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("chaser.audit.v1", account.toString(), event)).get();
            producer.send(new ProducerRecord<>("chaser.audit.v1", account.toString(), event)).get();
        }
        await().atMost(WITHIN).until(() -> ServiceDatabase.dump("audit_events").contains(id));
        MembersTest.as(owner, account, "owner").get("/v1/audit/events?action=test.twice").then().statusCode(200)
                .body("data.size()", equalTo(1)).body("data[0].status", equalTo("failure"));
        assertEquals(1, ServiceDatabase.dump("audit_events").split(id, -1).length - 1);
    }
}
