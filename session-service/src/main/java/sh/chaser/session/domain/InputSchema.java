package sh.chaser.session.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Checks a job's input against its kind's JSON Schema (the one {@code GET /v1/jobs/kinds} shows), so
 * the schema a client reads is the rule applied. The subset the kinds use: type, required,
 * properties, additionalProperties (false or a schema), items, enum, minLength, minimum, maximum,
 * minItems, maxItems, pattern, format uuid.
 */
public final class InputSchema {

    /** What is wrong, and where ({@code input.steps[1].command}). */
    public record Violation(String field, String message) {}

    private InputSchema() {}

    public static Optional<Violation> check(JsonNode schema, JsonNode value) {
        return check(schema, value, "input");
    }

    private static Optional<Violation> check(JsonNode schema, JsonNode value, String at) {
        if (schema.has("enum")) {
            for (JsonNode allowed : schema.get("enum")) {
                if (allowed.equals(value)) {
                    return Optional.empty();
                }
            }
            return fail(at, "must be one of " + schema.get("enum"));
        }
        String type = schema.path("type").asText("");
        return switch (type) {
            case "object" -> value.isObject() ? object(schema, value, at) : fail(at, "must be an object");
            case "array" -> value.isArray() ? array(schema, value, at) : fail(at, "must be an array");
            case "string" -> value.isTextual() ? string(schema, value.asText(), at) : fail(at, "must be a string");
            case "boolean" -> value.isBoolean() ? Optional.empty() : fail(at, "must be true or false");
            case "integer" -> value.canConvertToLong() && value.isIntegralNumber()
                    ? range(schema, value.asLong(), at)
                    : fail(at, "must be an integer");
            default -> Optional.empty();
        };
    }

    private static Optional<Violation> object(JsonNode schema, JsonNode value, String at) {
        for (JsonNode required : schema.path("required")) {
            if (!value.has(required.asText()) || value.get(required.asText()).isNull()) {
                return fail(at + "." + required.asText(), "is required");
            }
        }
        JsonNode properties = schema.path("properties");
        JsonNode extra = schema.get("additionalProperties");
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext();) {
            var field = it.next();
            if (field.getValue().isNull()) {
                continue;
            }
            JsonNode property = properties.get(field.getKey());
            if (property == null && extra != null && extra.isBoolean() && !extra.asBoolean()) {
                return fail(at + "." + field.getKey(), "is not a field of this input; known: "
                        + iterable(properties.fieldNames()));
            }
            JsonNode rule = property != null ? property : extra != null && extra.isObject() ? extra : null;
            if (rule != null) {
                var violation = check(rule, field.getValue(), at + "." + field.getKey());
                if (violation.isPresent()) {
                    return violation;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Violation> array(JsonNode schema, JsonNode value, String at) {
        if (value.size() < schema.path("minItems").asInt(0)) {
            return fail(at, "needs at least " + schema.get("minItems").asInt() + " item(s)");
        }
        if (schema.has("maxItems") && value.size() > schema.get("maxItems").asInt()) {
            return fail(at, "takes at most " + schema.get("maxItems").asInt() + " items");
        }
        for (int i = 0; schema.has("items") && i < value.size(); i++) {
            var violation = check(schema.get("items"), value.get(i), at + "[" + i + "]");
            if (violation.isPresent()) {
                return violation;
            }
        }
        return Optional.empty();
    }

    private static Optional<Violation> string(JsonNode schema, String value, String at) {
        if (value.length() < schema.path("minLength").asInt(0)) {
            return fail(at, "must not be empty");
        }
        if (schema.has("pattern") && !Pattern.compile(schema.get("pattern").asText()).matcher(value).find()) {
            return fail(at, "must match " + schema.get("pattern").asText());
        }
        if ("uuid".equals(schema.path("format").asText())) {
            try {
                UUID.fromString(value);
            } catch (IllegalArgumentException e) {
                return fail(at, "must be a UUID");
            }
        }
        return Optional.empty();
    }

    private static Optional<Violation> range(JsonNode schema, long value, String at) {
        if (schema.has("minimum") && value < schema.get("minimum").asLong()) {
            return fail(at, "must be at least " + schema.get("minimum").asLong());
        }
        if (schema.has("maximum") && value > schema.get("maximum").asLong()) {
            return fail(at, "must be at most " + schema.get("maximum").asLong());
        }
        return Optional.empty();
    }

    private static String iterable(Iterator<String> names) {
        StringBuilder out = new StringBuilder();
        names.forEachRemaining(n -> out.append(out.length() == 0 ? "" : ", ").append(n));
        return out.toString();
    }

    private static Optional<Violation> fail(String field, String message) {
        return Optional.of(new Violation(field, field + " " + message));
    }
}
