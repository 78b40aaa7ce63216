package sh.chaser.contracts;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Audit records on {@link #TOPIC}: CloudEvents 1.0 of type {@link #TYPE}, stored by
 * account-service once per event id. Field names of {@code data} are the columns of
 * {@code GET /v1/audit/events}.
 */
public final class AuditEvents {

    public static final String TOPIC = "chaser.audit.v1";
    public static final String TYPE = "sh.chaser.audit.recorded.v1";

    private AuditEvents() {}

    /** A CloudEvent around {@code data}, from {@code /<source>}, about {@code accountId} (may be null). */
    public static Map<String, Object> cloudEvent(String source, String accountId, Map<String, ?> data) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("specversion", "1.0");
        event.put("id", UUID.randomUUID().toString());
        event.put("source", "/" + source);
        event.put("type", TYPE);
        event.put("subject", accountId);
        event.put("time", Instant.now().toString());
        event.put("datacontenttype", "application/json");
        event.put("data", data);
        return event;
    }

    /** A refused request: who (when known) tried which route, and the code of the refusal. */
    public static Map<String, Object> refused(String source, String accountId, String actorType, String actorId,
            String method, String path, String code, String requestId) {
        return refused(source, accountId, actorType, actorId, method, path, code, requestId, Map.of());
    }

    /** @param details more metadata, e.g. the session and the path a data-plane request tried */
    public static Map<String, Object> refused(String source, String accountId, String actorType, String actorId,
            String method, String path, String code, String requestId, Map<String, String> details) {
        Map<String, Object> data = new HashMap<>();
        data.put("account_id", accountId);
        data.put("actor_type", actorType == null ? "anonymous" : actorType);
        data.put("actor_id", actorId);
        data.put("action", "request.refused");
        data.put("resource_type", "route");
        data.put("resource_id", method + " " + path);
        data.put("status", "failure");
        data.put("summary", code + ": " + method + " " + path);
        Map<String, Object> metadata = new HashMap<>(details);
        metadata.put("code", code);
        metadata.put("request_id", requestId == null ? "" : requestId);
        data.put("metadata", metadata);
        return cloudEvent(source, accountId, data);
    }

    /** An act that was carried out: who did it, to what, with its details. */
    public static Map<String, Object> success(String source, String accountId, String actorType, String actorId,
            String action, String resourceType, String resourceId, String summary, Map<String, ?> metadata) {
        return cloudEvent(source, accountId,
                successData(accountId, actorType, actorId, action, resourceType, resourceId, summary, metadata));
    }

    /** The data of a {@link #success} record, for writers that wrap it themselves (the services' outbox). */
    public static Map<String, Object> successData(String accountId, String actorType, String actorId, String action,
            String resourceType, String resourceId, String summary, Map<String, ?> metadata) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("account_id", accountId);
        data.put("actor_type", actorType);
        data.put("actor_id", actorId);
        data.put("action", action);
        data.put("resource_type", resourceType);
        data.put("resource_id", resourceId);
        data.put("status", "success");
        data.put("summary", summary);
        data.put("metadata", metadata == null ? Map.of() : metadata);
        return data;
    }
}
