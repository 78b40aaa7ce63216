package sh.chaser.gateway.api.mcp;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;

/** A tool call's arguments, read with the checks the API would make, before anything is sent. */
final class Args {

    /** Ids, workspace and snapshot names: what may stand as one segment of an API path. */
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");
    private final Map<String, Object> values;

    Args(Map<String, Object> values) {
        this.values = values == null ? Map.of() : values;
    }

    boolean has(String name) {
        return values.get(name) != null;
    }

    String string(String name) {
        Object v = values.get(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw ToolFailure.invalid(name + " must be a string");
        }
        return s;
    }

    String required(String name) {
        String v = string(name);
        if (v == null || v.isEmpty()) {
            throw ToolFailure.invalid(name + " is required");
        }
        return v;
    }

    boolean bool(String name) {
        Object v = values.get(name);
        if (v != null && !(v instanceof Boolean)) {
            throw ToolFailure.invalid(name + " must be true or false");
        }
        return Boolean.TRUE.equals(v);
    }

    Integer integer(String name) {
        Object v = values.get(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw ToolFailure.invalid(name + " must be an integer");
        }
        return n.intValue();
    }

    Map<String, Object> all() {
        return values;
    }

    Object raw(String name) {
        return values.get(name);
    }

    /** The argument as one path segment: an id or a name, never {@code ..}, {@code /} or anything else. */
    String segment(String name) {
        return segment(name, required(name));
    }

    static String segment(String name, String value) {
        if (!SEGMENT.matcher(value).matches()) {
            throw ToolFailure.invalid(name + " must be an id or a name (letters, digits, '.', '-', '_')");
        }
        return value;
    }

    static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
