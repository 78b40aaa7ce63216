package sh.chaser.gateway.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Every request the gateway refuses (no or bad token, missing scope, foreign account) becomes an
 * audit event on {@code chaser.audit.v1}. The gateway keeps no state, so these are sent directly;
 * a broker outage loses refusal records, never a decision.
 */
@ApplicationScoped
public class RefusalAudit {

    private static final Logger LOG = Logger.getLogger(RefusalAudit.class);
    private static final String TOPIC = "chaser.audit.v1";

    @Inject
    ObjectMapper json;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private KafkaProducer<String, String> producer;
    /** send() may block on broker metadata: never on the event loop. */
    private final java.util.concurrent.ExecutorService sender =
            java.util.concurrent.Executors.newSingleThreadExecutor(r -> new Thread(r, "refusal-audit"));

    @PostConstruct
    void init() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "2000");
        producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    void close(@Observes ShutdownEvent event) {
        sender.shutdown();
        producer.close();
    }

    /**
     * @param accountId  the account the request tried to act in, when known
     * @param principal  {@code user:<id>} or {@code service_account:<id>}, when known
     */
    public void refused(String accountId, String principal, String method, String path, String code, String requestId) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("account_id", accountId);
        data.put("actor_type", principal == null ? "anonymous" : principal.substring(0, principal.indexOf(':')));
        data.put("actor_id", principal == null ? null : principal.substring(principal.indexOf(':') + 1));
        data.put("action", "request.refused");
        data.put("resource_type", "route");
        data.put("resource_id", method + " " + path);
        data.put("status", "failure");
        data.put("summary", code + ": " + method + " " + path);
        data.put("metadata", Map.of("code", code, "request_id", requestId));
        Map<String, Object> event = new LinkedHashMap<>();
        String id = UUID.randomUUID().toString();
        event.put("specversion", "1.0");
        event.put("id", id);
        event.put("source", "/api-gateway");
        event.put("type", "sh.chaser.audit.recorded.v1");
        event.put("subject", accountId);
        event.put("time", Instant.now().toString());
        event.put("datacontenttype", "application/json");
        event.put("data", data);
        sender.execute(() -> {
            try {
                producer.send(new ProducerRecord<>(TOPIC, accountId == null ? id : accountId,
                        json.writeValueAsString(event)), (meta, failure) -> {
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
