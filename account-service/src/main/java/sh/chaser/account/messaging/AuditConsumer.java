package sh.chaser.account.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Stores the audit events of every service; idempotent by CloudEvent id. */
@ApplicationScoped
public class AuditConsumer {

    @Inject
    Pool pool;
    @Inject
    ObjectMapper json;

    @Incoming("audit-in")
    public Uni<Void> store(String cloudEvent) throws Exception {
        JsonNode event = json.readTree(cloudEvent);
        JsonNode data = event.get("data");
        return pool.preparedQuery("""
                INSERT INTO audit_events (id, account_id, actor_type, actor_id, action, resource_type, resource_id,
                                          status, summary, metadata, source, created_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                ON CONFLICT (id) DO NOTHING""")
                .execute(Tuple.tuple()
                        .addUUID(UUID.fromString(event.get("id").asText()))
                        .addUUID(text(data, "account_id") == null ? null : UUID.fromString(text(data, "account_id")))
                        .addString(text(data, "actor_type"))
                        .addString(text(data, "actor_id"))
                        .addString(text(data, "action"))
                        .addString(text(data, "resource_type"))
                        .addString(text(data, "resource_id"))
                        .addString(text(data, "status"))
                        .addString(text(data, "summary"))
                        .addValue(new JsonObject(data.has("metadata") ? data.get("metadata").toString() : "{}"))
                        .addString(event.path("source").asText(null))
                        .addOffsetDateTime(OffsetDateTime.parse(event.get("time").asText())))
                .replaceWithVoid();
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
