package sh.chaser.agent.firecracker;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/**
 * Firecracker's published API description (Swagger 2.0, {@code firecracker-api.yaml}) as a
 * validator: which method and path exist, and whether a JSON body matches the operation's body
 * schema ($ref, type, required, enum, minimum/maximum, and no unknown fields, as Firecracker's
 * deserializer refuses them).
 */
@SuppressWarnings("unchecked")
final class SwaggerSpec {

    private final Map<String, Object> paths;
    private final Map<String, Object> definitions;

    SwaggerSpec(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            Map<String, Object> root = new Yaml().load(in);
            paths = (Map<String, Object>) root.get("paths");
            definitions = (Map<String, Object>) root.get("definitions");
        }
    }

    /** The operation for a method and concrete path, or null when the API has none. */
    Map<String, Object> operation(String method, String path) {
        for (var entry : paths.entrySet()) {
            String regex = "\\Q" + entry.getKey().replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q") + "\\E";
            if (Pattern.matches(regex, path)) {
                return (Map<String, Object>) ((Map<String, Object>) entry.getValue()).get(method.toLowerCase());
            }
        }
        return null;
    }

    /** Status code the operation answers on success (its first 2xx response). */
    int successStatus(Map<String, Object> operation) {
        Map<Object, Object> responses = (Map<Object, Object>) operation.get("responses");
        return responses.keySet().stream().map(String::valueOf).filter(code -> code.startsWith("2"))
                .mapToInt(Integer::parseInt).min().orElse(204);
    }

    /** Problems of {@code body} against the operation's body parameter; empty when valid. */
    List<String> validateBody(Map<String, Object> operation, JsonNode body) {
        List<String> problems = new ArrayList<>();
        List<Map<String, Object>> parameters = (List<Map<String, Object>>) operation.getOrDefault("parameters",
                List.of());
        for (Map<String, Object> parameter : parameters) {
            if ("body".equals(parameter.get("in"))) {
                if (body == null || body.isMissingNode()) {
                    if (Boolean.TRUE.equals(parameter.get("required"))) {
                        problems.add("a body is required");
                    }
                } else {
                    validate(body, (Map<String, Object>) parameter.get("schema"), "body", problems);
                }
                return problems;
            }
        }
        if (body != null && !body.isMissingNode()) {
            problems.add("this operation takes no body");
        }
        return problems;
    }

    private void validate(JsonNode value, Map<String, Object> schema, String where, List<String> problems) {
        if (schema.containsKey("$ref")) {
            String name = ((String) schema.get("$ref")).substring("#/definitions/".length());
            validate(value, (Map<String, Object>) definitions.get(name), where, problems);
            return;
        }
        String type = (String) schema.get("type");
        if (type != null && !hasType(value, type)) {
            problems.add(where + " must be " + type);
            return;
        }
        if (schema.containsKey("enum") && !((List<Object>) schema.get("enum")).stream().map(String::valueOf)
                .toList().contains(value.asText())) {
            problems.add(where + " must be one of " + schema.get("enum"));
        }
        if (schema.get("minimum") instanceof Number min && value.isNumber() && value.asDouble() < min.doubleValue()) {
            problems.add(where + " must be at least " + min);
        }
        if (schema.get("maximum") instanceof Number max && value.isNumber() && value.asDouble() > max.doubleValue()) {
            problems.add(where + " must be at most " + max);
        }
        if (value.isObject()) {
            Map<String, Object> properties = (Map<String, Object>) schema.getOrDefault("properties", Map.of());
            for (Object required : (List<Object>) schema.getOrDefault("required", List.of())) {
                if (!value.has((String) required)) {
                    problems.add(where + "." + required + " is required");
                }
            }
            value.fieldNames().forEachRemaining(field -> {
                if (!properties.containsKey(field)) {
                    problems.add(where + "." + field + " is an unknown field");
                } else {
                    validate(value.get(field), (Map<String, Object>) properties.get(field), where + "." + field,
                            problems);
                }
            });
        }
        if (value.isArray() && schema.containsKey("items")) {
            for (int i = 0; i < value.size(); i++) {
                validate(value.get(i), (Map<String, Object>) schema.get("items"), where + "[" + i + "]", problems);
            }
        }
    }

    private static boolean hasType(JsonNode value, String type) {
        return switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            default -> true;
        };
    }
}
