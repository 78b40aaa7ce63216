package sh.chaser.common.messaging;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import sh.chaser.common.persistence.MigrateOnStart;
import sh.chaser.contracts.KafkaConnection;

/**
 * Publishes outbox rows to Kafka in order, then marks them published. At-least-once: a crash
 * between send and mark re-sends on restart, and consumers drop duplicates by event id. Rows are
 * claimed with SKIP LOCKED, so several instances of a service can relay side by side.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final int BATCH = 200;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    @Identifier(KafkaConnection.DEFAULT_CONFIG)
    Map<String, Object> kafka;

    @ConfigProperty(name = "chaser.outbox.poll-ms", defaultValue = "100")
    long pollMs;

    private KafkaProducer<String, String> producer;
    private ScheduledExecutorService loop;

    void start(@Observes @Priority(MigrateOnStart.PRIORITY + 1) StartupEvent event) {
        Properties p = KafkaConnection.of(kafka);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        loop = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "outbox-relay"));
        loop.scheduleWithFixedDelay(this::relaySafely, 0, pollMs, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (loop != null) {
            loop.shutdown();
            producer.close();
        }
    }

    private void relaySafely() {
        try {
            while (relayBatch() == BATCH) {
                // keep going while there is a backlog
            }
        } catch (Exception e) {
            LOG.warnf("outbox relay will retry: %s", e.getMessage());
        }
    }

    private int relayBatch() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            record Row(String id, String topic, String key, String payload) {}
            List<Row> rows = new ArrayList<>();
            try (var s = c.prepareStatement("SELECT id, topic, aggregate_id, payload::text FROM outbox "
                    + "WHERE published_at IS NULL ORDER BY created_at LIMIT " + BATCH + " FOR UPDATE SKIP LOCKED");
                    var rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                }
            }
            for (Row row : rows) {
                producer.send(new ProducerRecord<>(row.topic(), row.key(), row.payload())).get(10, TimeUnit.SECONDS);
            }
            if (!rows.isEmpty()) {
                try (var s = c.prepareStatement("UPDATE outbox SET published_at = now() WHERE id = ANY (?::uuid[])")) {
                    s.setArray(1, c.createArrayOf("text", rows.stream().map(Row::id).toArray()));
                    s.executeUpdate();
                }
            }
            c.commit();
            return rows.size();
        }
    }
}
