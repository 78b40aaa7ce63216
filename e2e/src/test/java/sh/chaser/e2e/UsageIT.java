package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** GET /v1/billing/summary: session-seconds metered from session events, storage from the vm-agents. */
@PlatformHost
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UsageIT {

    private static final String SESSIONS_TOPIC = "chaser.sessions.v1";
    private static final String METER_GROUP = "account-service-usage-webhooks";

    private LocalPlatform platform;
    private Api api;

    @BeforeAll
    void platform() throws Exception {
        platform = SharedPlatform.get();
        api = new Api(platform.apiUrl());
    }

    @Test
    void sessionSecondsAreExactAndReplayingTheSessionTopicChangesNothing() throws Exception {
        String key = Accounts.organizationKey(api, SharedPlatform.credentials());
        String account = api.get("/v1/accounts/current", key).body().get("id").asText();
        Sessions sessions = new Sessions(api, key);
        String sandbox = sessions.ephemeralSandbox().get("id").asText();
        // the workload: the session runs a little over two seconds
        assertEquals(0, sessions.exec(sandbox, "sleep 2.2").body().get("exit_code").asInt());
        assertEquals(200, sessions.terminate(sandbox, false).status());
        String browser = sessions.started("{\"session_type\":\"browser\",\"ephemeral\":true}").get("id").asText();
        assertEquals(200, sessions.terminate(browser, false).status());
        long sandboxSeconds = seconds(sessions.get(sandbox));
        long browserSeconds = seconds(sessions.get(browser));
        assertTrue(sandboxSeconds >= 2, "the sandbox ran " + sandboxSeconds + " s");

        JsonNode before = Await.until(() -> api.get("/v1/billing/summary", key).body(),
                s -> s.at("/session_seconds/last_24h/sandbox").asLong() == sandboxSeconds
                        && s.at("/session_seconds/last_24h/browser").asLong() == browserSeconds,
                60,
                "the summary counts both sessions exactly");
        assertEquals(sandboxSeconds + browserSeconds, before.at("/session_seconds/last_24h/total").asLong());
        assertEquals(sandboxSeconds, before.at("/session_seconds/last_30d/sandbox").asLong());
        assertEquals(0, before.get("active_sessions").asLong());

        int replayed = replaySessionEvents(account);
        assertTrue(replayed >= 6, "created, running and terminated of both sessions were replayed: " + replayed);
        awaitMeterCaughtUp();
        JsonNode after = api.get("/v1/billing/summary", key).body();
        assertEquals(before.get("session_seconds"), after.get("session_seconds"), "a replay changes no usage");
    }

    @Test
    void workspaceStorageComesFromTheHostsMeasurements() throws Exception {
        String key = Accounts.organizationKey(api, SharedPlatform.credentials());
        Sessions sessions = new Sessions(api, key);
        String workspace = sessions.workspace("sandbox");
        String id = sessions.started("{\"session_type\":\"sandbox\",\"workspace\":\"" + workspace + "\"}").get("id")
                .asText();
        assertEquals(0, sessions.exec(id, "head -c 3000000 /dev/urandom > /workspace/blob && sync").body()
                .get("exit_code").asInt());
        assertEquals(200, sessions.terminate(id, false).status());
        JsonNode summary = Await.until(() -> api.get("/v1/billing/summary", key).body(),
                s -> s.get("workspace_storage_bytes").asLong() >= 3_000_000, 60, "the workspace's bytes are counted");
        assertEquals(1, summary.get("workspaces").asLong());
        assertEquals(204, api.call("DELETE", "/v1/workspaces/" + workspace, key, null, null).status());
        Await.until(() -> api.get("/v1/billing/summary", key).body(),
                s -> s.get("workspace_storage_bytes").asLong() == 0 && s.get("workspaces").asLong() == 0, 60,
                "a deleted workspace holds nothing");
    }

    /** Whole seconds between running_at and terminated_at, as the summary rounds them. */
    private static long seconds(JsonNode session) {
        Instant running = Instant.parse(session.get("running_at").asText());
        Instant terminated = Instant.parse(session.get("terminated_at").asText());
        return ChronoUnit.MICROS.between(running, terminated) / 1_000_000;
    }

    /** As the operator (the broker's admin identity): the services' own may not write each other's topics. */
    private Properties kafka() {
        return platform.kafka(LocalPlatform.KAFKA_ADMIN);
    }

    /** Publishes this account's session events again, as a broker redelivering them would. */
    private int replaySessionEvents(String account) throws Exception {
        Properties c = kafka();
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "usage-it-" + UUID.randomUUID());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, String>> mine = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(SESSIONS_TOPIC).stream()
                    .map(p -> new TopicPartition(SESSIONS_TOPIC, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> {
                    if (r.value().contains(account)) {
                        mine.add(r);
                    }
                });
            }
        }
        Properties p = kafka();
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (var r : mine) {
                producer.send(new ProducerRecord<>(SESSIONS_TOPIC, r.key(), r.value())).get();
            }
        }
        return mine.size();
    }

    /** account-service's meter has committed everything now on the session topic. */
    private void awaitMeterCaughtUp() throws Exception {
        Properties a = kafka();
        Properties c = kafka();
        try (Admin admin = Admin.create(a);
                var consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(SESSIONS_TOPIC).stream()
                    .map(p -> new TopicPartition(SESSIONS_TOPIC, p.partition())).toList();
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Await.until(() -> {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(METER_GROUP)
                        .partitionsToOffsetAndMetadata().get();
                return partitions.stream().allMatch(tp -> end.get(tp) == 0
                        || (committed.get(tp) != null && committed.get(tp).offset() >= end.get(tp)));
            }, 60, "account-service consumed the replayed events");
        }
    }
}
