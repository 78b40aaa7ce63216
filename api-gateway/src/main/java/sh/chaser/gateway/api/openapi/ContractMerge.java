package sh.chaser.gateway.api.openapi;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import sh.chaser.gateway.domain.Backend;
import sh.chaser.gateway.domain.IdempotencyKeys;
import sh.chaser.gateway.domain.Route;

/**
 * The public contract: every route of the gateway's table, in its order, with the operation its
 * service generated (account-, workspace-, session-service) or the gateway's own document declares
 * (the data plane, connect tokens, MCP); each marked with its scope ({@code x-chaser-scope}), its
 * security and the error envelope. A route no document declares is left out and named in
 * {@code x-chaser-undocumented}, so the contract test sees it.
 */
final class ContractMerge {

    static final String SCOPE = "x-chaser-scope";
    static final String UNDOCUMENTED = "x-chaser-undocumented";

    private ContractMerge() {}

    /** The spec's path for a route template: a trailing {@code /**} is one {@code {path}} parameter. */
    static String specPath(String template) {
        return template.endsWith("/**") ? template.substring(0, template.length() - 3) + "/{path}" : template;
    }

    static String specMethod(Route route) {
        return route.method().equals(Route.ANY_METHOD) ? "get" : route.method().toLowerCase(Locale.ROOT);
    }

    static JsonObject merge(JsonObject gateway, Map<Backend, JsonObject> services, List<Route> routes) {
        JsonObject out = gateway.copy();
        JsonObject schemas = out.getJsonObject("components").getJsonObject("schemas");
        services.forEach((backend, doc) -> schemas.mergeIn(doc.getJsonObject("components", new JsonObject())
                .getJsonObject("schemas", new JsonObject())));
        JsonObject paths = new JsonObject();
        List<String> undocumented = new ArrayList<>();
        for (Route route : routes) {
            String path = specPath(route.template());
            String method = specMethod(route);
            JsonObject source = route.backend() == Backend.HOST || route.backend() == Backend.GATEWAY
                    ? gateway
                    : services.get(route.backend());
            JsonObject operation = find(source, path, method);
            if (operation == null) {
                undocumented.add(route.method() + " " + route.template());
                continue;
            }
            JsonObject target = paths.getJsonObject(path);
            if (target == null) {
                paths.put(path, target = new JsonObject());
            }
            target.put(method, decorate(operation.copy(), route, path));
        }
        out.put("paths", paths);
        out.put(UNDOCUMENTED, new JsonArray(undocumented));
        ResponseShapes.tighten(out);
        return out;
    }

    /** The operation of {@code method} on the path that equals {@code path} up to parameter names. */
    private static JsonObject find(JsonObject doc, String path, String method) {
        if (doc == null) {
            return null;
        }
        String shape = path.replaceAll("\\{[^/]+}", "{}");
        JsonObject paths = doc.getJsonObject("paths", new JsonObject());
        for (String candidate : paths.fieldNames()) {
            if (candidate.replaceAll("\\{[^/]+}", "{}").equals(shape)) {
                return paths.getJsonObject(candidate).getJsonObject(method);
            }
        }
        return null;
    }

    private static JsonObject decorate(JsonObject operation, Route route, String path) {
        renamePathParameters(operation, path);
        operation.remove("tags");
        operation.put("tags", new JsonArray().add(area(route.template())));
        operation.put("security", route.open()
                ? new JsonArray()
                : new JsonArray().add(new JsonObject().put("bearer",
                        new JsonArray())));
        if (route.scope() != null) {
            operation.put(SCOPE, route.scope());
        }
        if (!route.open() && IdempotencyKeys.use(route, route.method()) == IdempotencyKeys.Use.KEPT) {
            JsonArray parameters = operation.getJsonArray("parameters", new JsonArray());
            parameters.add(new JsonObject().put("name", IdempotencyKeys.HEADER).put("in", "header")
                    .put("required", false).put("description", "a replay within 24 h with the same body returns the"
                            + " first answer (Idempotent-Replayed: true); another request under it is 422")
                    .put("schema", new JsonObject().put("type", "string").put("minLength", 1)
                            .put("maxLength", IdempotencyKeys.MAX_KEY_LENGTH)));
            operation.put("parameters", parameters);
        }
        JsonObject responses = operation.getJsonObject("responses", new JsonObject());
        // the generated 401/403 entries carry no body; every refusal is the envelope
        for (String status : List.of("400", "401", "403", "404", "409", "413", "429", "503")) {
            JsonObject r = responses.getJsonObject(status);
            if (r == null || !r.containsKey("content")) {
                responses.remove(status);
            }
        }
        responses.put("default", new JsonObject().put("$ref", "#/components/responses/Error"));
        operation.put("responses", responses);
        return operation;
    }

    /** Path parameters named as the route's template names them (a service may call {id} {workspace}). */
    private static void renamePathParameters(JsonObject operation, String path) {
        List<String> names = new ArrayList<>();
        var m = java.util.regex.Pattern.compile("\\{([^/]+)}").matcher(path);
        while (m.find()) {
            names.add(m.group(1));
        }
        int i = 0;
        for (Object p : operation.getJsonArray("parameters", new JsonArray())) {
            JsonObject parameter = (JsonObject) p;
            if ("path".equals(parameter.getString("in")) && i < names.size()) {
                parameter.put("name", names.get(i++));
            }
        }
    }

    private static String area(String template) {
        String[] parts = template.split("/");
        return parts.length > 2 ? parts[2] : template;
    }
}
