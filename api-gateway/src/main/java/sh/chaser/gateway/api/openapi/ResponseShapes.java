package sh.chaser.gateway.api.openapi;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * What the services' JSON always is, said in the schemas of their answers: every declared field is
 * present (the API writes nulls, it does not omit them), may be null, and no other field appears.
 * A view that omits null fields declares the ones it always has ({@code requiredProperties}), and
 * keeps them. Generated schemas say none of this (nothing required, anything extra allowed), so a contract test
 * against them could not tell one shape from another. Schemas also used in a request stay as they are.
 */
final class ResponseShapes {

    private static final String PREFIX = "#/components/schemas/";

    private ResponseShapes() {}

    static void tighten(JsonObject doc) {
        JsonObject schemas = doc.getJsonObject("components").getJsonObject("schemas");
        Set<String> requests = new HashSet<>();
        Set<String> responses = new HashSet<>();
        for (String path : doc.getJsonObject("paths").fieldNames()) {
            JsonObject operations = doc.getJsonObject("paths").getJsonObject(path);
            for (String method : operations.fieldNames()) {
                JsonObject operation = operations.getJsonObject(method);
                reach(operation.getValue("requestBody"), schemas, requests);
                reach(operation.getValue("responses"), schemas, responses);
            }
        }
        responses.removeAll(requests);
        for (String name : responses) {
            JsonObject schema = schemas.getJsonObject(name);
            JsonObject properties = schema == null ? null : schema.getJsonObject("properties");
            if (properties == null || !"object".equals(schema.getValue("type"))) {
                continue;
            }
            schema.put("additionalProperties", false);
            if (schema.containsKey("required")) {
                // a view that omits its null fields says which it always has
                continue;
            }
            schema.put("required", new JsonArray(properties.fieldNames().stream().sorted().toList()));
            for (String field : properties.fieldNames()) {
                properties.put(field, orNull(properties.getJsonObject(field)));
            }
        }
    }

    private static JsonObject orNull(JsonObject property) {
        Object type = property.getValue("type");
        if (type instanceof String t) {
            return property.copy().put("type", new JsonArray().add(t).add("null"));
        }
        if (type instanceof JsonArray types) {
            return types.contains("null") ? property : property.copy().put("type", types.copy().add("null"));
        }
        return new JsonObject().put("anyOf", new JsonArray().add(property).add(new JsonObject().put("type", "null")));
    }

    /** Every named schema {@code node} refers to, directly or through other schemas. */
    private static void reach(Object node, JsonObject schemas, Set<String> found) {
        Deque<Object> todo = new ArrayDeque<>();
        todo.push(node == null ? new JsonObject() : node);
        while (!todo.isEmpty()) {
            Object next = todo.pop();
            if (next instanceof JsonObject o) {
                String ref = o.getString("$ref");
                if (ref != null && ref.startsWith(PREFIX) && found.add(ref.substring(PREFIX.length()))) {
                    JsonObject target = schemas.getJsonObject(ref.substring(PREFIX.length()));
                    if (target != null) {
                        todo.push(target);
                    }
                }
                o.forEach(e -> todo.push(e.getValue()));
            } else if (next instanceof JsonArray a) {
                a.forEach(todo::push);
            }
        }
    }
}
