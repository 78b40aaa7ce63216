package sh.chaser.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.Locale;

/**
 * The served OpenAPI document as a judge of answers: is the status declared for the operation, and
 * does the body validate (JSON Schema 2020-12, networknt) against the schema declared for it.
 */
final class Contract {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final JsonNode spec;
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    Contract(JsonNode spec) {
        this.spec = spec;
    }

    JsonNode operation(String method, String path) {
        return spec.path("paths").path(path).path(method.toLowerCase(Locale.ROOT));
    }

    /** What is wrong with {@code reply} as the answer of {@code method path}; null when nothing is. */
    String judge(String method, String path, Api.Reply reply) {
        JsonNode operation = operation(method, path);
        if (operation.isMissingNode()) {
            return method + " " + path + ": not in the contract";
        }
        String status = Integer.toString(reply.status());
        JsonNode response = operation.path("responses").path(status);
        if (response.isMissingNode()) {
            if (reply.status() < 400) {
                return method + " " + path + ": answered " + status + ", which the contract does not declare";
            }
            response = resolve(operation.path("responses").path("default"));
        }
        JsonNode schema = response.path("content").path("application/json").path("schema");
        if (schema.isMissingNode()) {
            return reply.body() == null || reply.body().isNull()
                    ? null
                    : method + " " + path + " " + status + ": a body where the contract declares none";
        }
        ObjectNode full = schema.deepCopy();
        if (full.has("$ref")) {
            full = JSON.createObjectNode().put("$ref", schema.get("$ref").asText());
        }
        full.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        full.set("components", spec.path("components"));
        var errors = registry.getSchema(full.toString()).validate(reply.body());
        return errors.isEmpty() ? null : method + " " + path + " " + status + ": " + errors + " in " + reply.body();
    }

    private JsonNode resolve(JsonNode node) {
        String ref = node.path("$ref").asText("");
        return ref.startsWith("#/") ? spec.at(ref.substring(1)) : node;
    }
}
