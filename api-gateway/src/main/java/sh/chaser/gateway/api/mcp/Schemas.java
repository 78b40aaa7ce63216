package sh.chaser.gateway.api.mcp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON Schemas of tool inputs, written compactly. */
final class Schemas {

    private Schemas() {}

    /** A property: name, then its schema. */
    record Property(String name, Map<String, Object> schema) {}

    static Map<String, Object> object(List<String> required, Property... properties) {
        Map<String, Object> props = new LinkedHashMap<>();
        for (Property p : properties) {
            props.put(p.name(), p.schema());
        }
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", props);
        if (!required.isEmpty()) {
            schema.put("required", required);
        }
        schema.put("additionalProperties", false);
        return schema;
    }

    static Property string(String name, String description) {
        return new Property(name, Map.of("type", "string", "description", description));
    }

    static Property choice(String name, String description, List<String> values) {
        return new Property(name, Map.of("type", "string", "description", description, "enum", values));
    }

    static Property integer(String name, String description, int min, int max) {
        return new Property(name, Map.of("type", "integer", "description", description, "minimum", min,
                "maximum", max));
    }

    static Property bool(String name, String description) {
        return new Property(name, Map.of("type", "boolean", "description", description));
    }
}
