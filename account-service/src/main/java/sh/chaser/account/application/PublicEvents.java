package sh.chaser.account.application;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import sh.chaser.account.domain.WebhookEventTypes;

/**
 * The CloudEvent a webhook receives for a platform event: {@code type} is the public event type
 * ({@code session.running}), {@code id} the platform event's id (the same for every webhook, so
 * receivers deduplicate by it), {@code subject} the resource id, {@code data} the resource as the
 * API shows it.
 */
@ApplicationScoped
public class PublicEvents {

    public static final String SESSION_CHANGED = sh.chaser.contracts.EventTypes.SESSION_STATE_CHANGED;
    public static final String WORKSPACE_CHANGED = sh.chaser.contracts.EventTypes.WORKSPACE_CHANGED;

    /** A platform event as webhooks see it, or null when none is published for it. */
    public record Published(String type, String accountId, String body) {
    }

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "chaser.account.auth.issuer", defaultValue = "chaser")
    String apiUrl;

    public Published of(JsonNode event) throws Exception {
        String internal = event.path("type").asText();
        JsonNode d = event.path("data");
        ObjectNode data = json.createObjectNode();
        String type;
        if (SESSION_CHANGED.equals(internal)) {
            type = WebhookEventTypes.ofSessionStatus(d.path("status").asText());
            data.put("id", d.path("session_id").asText());
            data.put("account_id", d.path("account_id").asText());
            data.put("session_type", d.path("session_type").asText());
            data.put("status", d.path("status").asText());
            data.put("ephemeral", d.path("ephemeral").asBoolean());
            text(data, "workspace_id", d.path("workspace_id").asText());
            text(data, "image", d.path("image").asText());
            text(data, "host", d.path("host_id").asText());
            text(data, "termination_reason", d.path("termination_reason").asText());
            text(data, "created_at", d.path("created_at").asText());
            text(data, "running_at", d.path("running_at").asText());
            text(data, "terminated_at", d.path("terminated_at").asText());
        } else if (WORKSPACE_CHANGED.equals(internal)) {
            type = WebhookEventTypes.ofWorkspaceChange(d.path("change").asText());
            data.put("id", d.path("workspace_id").asText());
            data.put("account_id", d.path("account_id").asText());
            text(data, "name", d.path("name").asText());
            data.put("session_type", d.path("session_type").asText());
            data.put("status", d.path("status").asText());
            data.put("size_bytes", d.path("size_bytes").asLong());
            text(data, "source_workspace_id", d.path("source_workspace_id").asText());
            if (d.path("change").asText().startsWith("snapshot_")) {
                text(data, "snapshot", d.path("snapshot").asText());
            }
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
        return new Published(type, d.path("account_id").asText(), json.writeValueAsString(cloudEvent));
    }

    private static void text(ObjectNode node, String field, String value) {
        if (value == null || value.isEmpty()) {
            node.putNull(field);
        } else {
            node.put(field, value);
        }
    }
}
