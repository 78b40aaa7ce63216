package sh.chaser.gateway.messaging;

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
import org.jboss.logging.Logger;
import sh.chaser.contracts.AuditEvents;
import sh.chaser.contracts.KafkaConnection;

/**
 * The gateway's audit records go straight to {@code chaser.audit.v1} (the gateway keeps no state,
 * so there is no outbox): sent off the event loop, batched by the producer, acknowledged by every
 * replica. A record still in the producer's memory when the gateway dies is lost.
 */
@ApplicationScoped
public class AuditProducer {

    private static final Logger LOG = Logger.getLogger(AuditProducer.class);

    @Inject
    ObjectMapper json;
    @Inject
    @Identifier(KafkaConnection.DEFAULT_CONFIG)
    Map<String, Object> kafka;

    private KafkaProducer<String, String> producer;
    /** send() may block on broker metadata: never on the event loop. */
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> new Thread(r, "audit-sender"));

    @PostConstruct
    void init() {
        Properties p = KafkaConnection.of(kafka);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "2000");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    void close(@Observes ShutdownEvent event) {
        sender.shutdown();
        producer.close();
    }

    /** The actor type of a principal {@code <type>:<id>} ({@code user:…}, {@code service_account:…}); null for none. */
    static String actorType(String principal) {
        return principal == null ? null : principal.substring(0, principal.indexOf(':'));
    }

    /** The actor id of a principal {@code <type>:<id>}; null for none. */
    static String actorId(String principal) {
        return principal == null ? null : principal.substring(principal.indexOf(':') + 1);
    }

    /** @param what what the record is about, for the warning when it cannot be sent */
    void send(String key, Map<String, Object> event, String what) {
        sender.execute(() -> {
            try {
                producer.send(new ProducerRecord<>(AuditEvents.TOPIC, key, json.writeValueAsString(event)),
                        (meta, failure) -> {
                            if (failure != null) {
                                LOG.warnf("%s not audited: %s", what, failure.getMessage());
                            }
                        });
            } catch (Exception e) {
                LOG.warnf("%s not audited: %s", what, e.getMessage());
            }
        });
    }
}
