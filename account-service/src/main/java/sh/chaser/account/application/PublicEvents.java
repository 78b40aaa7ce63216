package sh.chaser.account.application;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import sh.chaser.account.domain.WebhookEventTypes;
import sh.chaser.contracts.EventTypes;
import sh.chaser.proto.events.v1.JobChanged;
import sh.chaser.proto.events.v1.SessionStateChanged;
import sh.chaser.proto.events.v1.WorkspaceChanged;

/**
 * The CloudEvent a webhook receives for a platform event: {@code type} is the public event type
 * ({@code session.running}), {@code id} the platform event's id (the same for every webhook, so
 * receivers deduplicate by it), {@code subject} the resource id, {@code data} the resource as the
 * API shows it.
 */
@ApplicationScoped
public class PublicEvents {

    public static final String SESSION_CHANGED = EventTypes.SESSION_STATE_CHANGED;
    public static final String WORKSPACE_CHANGED = EventTypes.WORKSPACE_CHANGED;
    public static final String JOB_CHANGED = EventTypes.JOB_CHANGED;

    /** A platform event as webhooks see it, or null when none is published for it. */
    public record Published(String type, String accountId, String body) {}

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "chaser.account.auth.issuer", defaultValue = "chaser")
    String apiUrl;

    public Published of(JsonNode event) throws Exception {
        String internal = event.path("type").asText();
        String payload = event.path("data").toString();
        ObjectNode data = json.createObjectNode();
        String type;
        if (SESSION_CHANGED.equals(internal)) {
            SessionStateChanged d = EventTypes.data(payload, SessionStateChanged.newBuilder());
            type = WebhookEventTypes.ofSessionStatus(d.getStatus(), d.getPreviousStatus(), d.getForkedFrom());
            data.put("id", d.getSessionId());
            data.put("account_id", d.getAccountId());
            data.put("session_type", d.getSessionType());
            data.put("status", d.getStatus());
            data.put("ephemeral", d.getEphemeral());
            text(data, "workspace_id", d.getWorkspaceId());
            text(data, "image", d.getImage());
            text(data, "host", d.getHostId());
            text(data, "termination_reason", d.getTerminationReason());
            text(data, "created_at", d.getCreatedAt());
            text(data, "running_at", d.getRunningAt());
            text(data, "terminated_at", d.getTerminatedAt());
            text(data, "forked_from", d.getForkedFrom());
        } else if (WORKSPACE_CHANGED.equals(internal)) {
            WorkspaceChanged d = EventTypes.data(payload, WorkspaceChanged.newBuilder());
            type = WebhookEventTypes.ofWorkspaceChange(d.getChange());
            data.put("id", d.getWorkspaceId());
            data.put("account_id", d.getAccountId());
            text(data, "name", d.getName());
            data.put("session_type", d.getSessionType());
            data.put("status", d.getStatus());
            data.put("size_bytes", d.getSizeBytes());
            text(data, "source_workspace_id", d.getSourceWorkspaceId());
            if (d.getChange().startsWith("snapshot_")) {
                text(data, "snapshot", d.getSnapshot());
            }
        } else if (JOB_CHANGED.equals(internal)) {
            type = job(EventTypes.data(payload, JobChanged.newBuilder()), data);
        } else {
            return null;
        }
        if (type == null) {
            return null;
        }
        ObjectNode cloudEvent = json.createObjectNode();
        cloudEvent.put("specversion", "1.0");
        cloudEvent.put("id", event.path("id").asText());
        cloudEvent.put("source", apiUrl);
        cloudEvent.put("type", type);
        cloudEvent.put("subject", data.path("id").asText());
        cloudEvent.put("time", event.path("time").asText());
        cloudEvent.put("datacontenttype", "application/json");
        cloudEvent.set("data", data);
        return new Published(type, data.path("account_id").asText(), json.writeValueAsString(cloudEvent));
    }

    /** A job as GET /v1/jobs/{id} shows it, without its result (fetched there). */
    private static String job(JobChanged d, ObjectNode data) {
        data.put("id", d.getJobId());
        data.put("account_id", d.getAccountId());
        data.put("kind", d.getKind());
        data.put("status", d.getStatus());
        data.put("attempts", d.getAttempts());
        data.put("max_attempts", d.getMaxAttempts());
        if (d.getErrorCode().isEmpty()) {
            data.putNull("error");
        } else {
            data.putObject("error").put("code", d.getErrorCode()).put("message", d.getErrorMessage());
        }
        text(data, "idempotency_key", d.getIdempotencyKey());
        text(data, "run_at", d.getRunAt());
        text(data, "created_at", d.getCreatedAt());
        text(data, "started_at", d.getStartedAt());
        text(data, "finished_at", d.getFinishedAt());
        return WebhookEventTypes.ofJobEvent(d.getEvent());
    }

    private static void text(ObjectNode node, String field, String value) {
        if (value == null || value.isEmpty()) {
            node.putNull(field);
        } else {
            node.put(field, value);
        }
    }
}
