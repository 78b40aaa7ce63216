package sh.chaser.common.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import sh.chaser.contracts.AuditEvents;
import sh.chaser.contracts.KafkaConnection;

/**
 * A request a service refuses (its role rules, a forbidden act) becomes an audit event. A refusal
 * changes nothing, so there is no transaction to join: it is sent directly, off the event loop.
 */
@ApplicationScoped
public class RefusalRecorder {

    private static final Logger LOG = Logger.getLogger(RefusalRecorder.class);

    @Inject
    ObjectMapper json;
    @Inject
    @Identifier(KafkaConnection.DEFAULT_CONFIG)
    Map<String, Object> kafka;
    @ConfigProperty(name = "quarkus.application.name")
    String source;

    private KafkaProducer<String, String> producer;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> new Thread(r, "refusal-audit"));

    @PostConstruct
    void init() {
        Properties p = KafkaConnection.of(kafka);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "2000");
        producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    void close(@Observes ShutdownEvent event) {
        sender.shutdown();
        producer.close();
    }

    public void refused(String accountId, String actorType, String actorId, String method, String path, String code,
            String requestId) {
        Map<String, Object> event = AuditEvents.refused(source, accountId, actorType, actorId, method, path, code,
                requestId);
        String key = accountId == null ? (String) event.get("id") : accountId;
        sender.execute(() -> {
            try {
                producer.send(new ProducerRecord<>(AuditEvents.TOPIC, key, json.writeValueAsString(event)),
                        (meta, failure) -> {
                            if (failure != null) {
                                LOG.warnf("refusal of request %s not audited: %s", requestId, failure.getMessage());
                            }
                        });
            } catch (Exception e) {
                LOG.warnf("refusal of request %s not audited: %s", requestId, e.getMessage());
            }
        });
    }
}
