package sh.chaser.gateway.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import sh.chaser.contracts.AuditEvents;
import sh.chaser.gateway.application.RefusalRecorder;

/**
 * Every request the gateway refuses (no or bad token, missing scope, foreign account) becomes an
 * audit event on {@code chaser.audit.v1}. A broker outage loses refusal records, never a decision.
 */
@ApplicationScoped
public class RefusalAudit implements RefusalRecorder {

    @Inject
    AuditProducer producer;

    @Override
    public void refused(String accountId, String principal, String method, String path, String code, String requestId,
            Map<String, String> details) {
        Map<String, Object> event = AuditEvents.refused("api-gateway", accountId, AuditProducer.actorType(principal),
                AuditProducer.actorId(principal), method, path, code, requestId, details);
        producer.send(accountId == null ? (String) event.get("id") : accountId, event,
                "refusal of request " + requestId);
    }
}
