package sh.chaser.gateway.messaging;

import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import sh.chaser.contracts.AuditEvents;
import sh.chaser.gateway.application.ExecRecorder;

/**
 * A {@code session.exec} audit record for each exec served on the data plane, sent after the
 * answer (the same record session-service wrote when execs went through it).
 */
@ApplicationScoped
public class ExecAudit implements ExecRecorder {

    @Inject
    AuditProducer producer;

    @Override
    public void executed(String accountId, String principal, String sessionId, String requestId, String result) {
        JsonObject r;
        try {
            r = new JsonObject(result);
        } catch (RuntimeException e) {
            r = new JsonObject();
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        String summary;
        if (r.getBoolean("background", false)) {
            metadata.put("command_id", r.getString("command_id"));
            metadata.put("background", true);
            summary = "started a background command";
        } else {
            metadata.put("exit_code", r.getInteger("exit_code"));
            metadata.put("timed_out", r.getBoolean("timed_out", false));
            metadata.put("duration_ms", r.getLong("duration_ms"));
            summary = "ran a command (exit " + r.getInteger("exit_code") + ")";
        }
        metadata.put("request_id", requestId == null ? "" : requestId);
        Map<String, Object> event = AuditEvents.success("api-gateway", accountId, AuditProducer.actorType(principal),
                AuditProducer.actorId(principal), "session.exec", "session", sessionId, summary, metadata);
        producer.send(accountId, event, "exec of request " + requestId);
    }
}
