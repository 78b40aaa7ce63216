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
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;
import sh.chaser.contracts.AuditEvents;
import sh.chaser.contracts.KafkaConnection;
import sh.chaser.gateway.application.RefusalRecorder;

/**
 * Every request the gateway refuses (no or bad token, missing scope, foreign account) becomes an
 * audit event on {@code chaser.audit.v1}. The gateway keeps no state, so these are sent directly;
 * a broker outage loses refusal records, never a decision.
 */
@ApplicationScoped
public class RefusalAudit implements RefusalRecorder {

    private static final Logger LOG = Logger.getLogger(RefusalAudit.class);

    @Inject
    ObjectMapper json;
    @Inject
    @Identifier(KafkaConnection.DEFAULT_CONFIG)
    Map<String, Object> kafka;

    private KafkaProducer<String, String> producer;
    /** send() may block on broker metadata: never on the event loop. */
    private final java.util.concurrent.ExecutorService sender = java.util.concurrent.Executors
            .newSingleThreadExecutor(r -> new Thread(r, "refusal-audit"));

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

    @Override
    public void refused(String accountId, String principal, String method, String path, String code, String requestId,
            Map<String, String> details) {
        String actorType = principal == null ? null : principal.substring(0, principal.indexOf(':'));
        String actorId = principal == null ? null : principal.substring(principal.indexOf(':') + 1);
        Map<String, Object> event = AuditEvents.refused("api-gateway", accountId, actorType, actorId, method, path,
                code,
                requestId, details);
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
