package sh.chaser.session.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The kinds of job (resource {@code jobs/kinds.json}): each with the scopes it needs and its input's schema. */
public final class JobKinds {

    public record Kind(String name, List<String> scopes, String description, JsonNode inputSchema) {}

    private static final Map<String, Kind> KINDS = load();

    private JobKinds() {}

    public static List<Kind> all() {
        return List.copyOf(KINDS.values());
    }

    /** The kind, or a refusal naming the known ones. */
    public static Kind of(String name) {
        Kind kind = name == null ? null : KINDS.get(name);
        if (kind == null) {
            throw ErrorCode.INVALID_REQUEST.exception("kind must be one of " + KINDS.keySet(), "kind");
        }
        return kind;
    }

    /** Refuses input its kind's schema does not admit (400, the field named). */
    public static void check(Kind kind, JsonNode input) {
        InputSchema.check(kind.inputSchema(), input).ifPresent(v -> {
            throw ErrorCode.INVALID_REQUEST.exception(v.message(), v.field());
        });
    }

    private static Map<String, Kind> load() {
        try (InputStream in = JobKinds.class.getResourceAsStream("/jobs/kinds.json")) {
            Map<String, Kind> kinds = new LinkedHashMap<>();
            for (JsonNode k : new ObjectMapper().readTree(in)) {
                List<String> scopes = new java.util.ArrayList<>();
                k.get("scopes").forEach(s -> scopes.add(s.asText()));
                kinds.put(k.get("kind").asText(), new Kind(k.get("kind").asText(), List.copyOf(scopes),
                        k.get("description").asText(), k.get("input_schema")));
            }
            return kinds;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
