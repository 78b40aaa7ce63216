package sh.chaser.gateway.api.mcp;

import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tool that is one call of the public API: {@code {name}} in the path template is filled from the
 * argument of that name (one path segment, checked), {@code query} arguments go to the query string,
 * the rest of the arguments (with {@code fixed}) to the JSON body. The API's answer is the result.
 */
record ApiTool(String name, String description, HttpMethod method, String template, List<String> query,
        Map<String, Object> fixed, Map<String, Object> schema) {

    private static final Pattern PARAM = Pattern.compile("\\{([a-z_]+)}");

    McpTool tool(SelfApi api) {
        return McpTool.json(Tool.builder().name(name).description(description).inputSchema(schema).build(),
                (caller, args) -> call(api, caller, args));
    }

    /** The path and query this call goes to; throws on an argument that is not one segment. */
    String uri(Args args) {
        Matcher m = PARAM.matcher(template);
        StringBuilder uri = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(uri, Matcher.quoteReplacement(args.segment(m.group(1))));
        }
        m.appendTail(uri);
        String separator = "?";
        for (String q : query) {
            Object value = args.raw(q);
            if (value != null) {
                uri.append(separator).append(q).append('=').append(Args.query(String.valueOf(value)));
                separator = "&";
            }
        }
        return uri.toString();
    }

    JsonObject body(Map<String, Object> arguments) {
        JsonObject body = new JsonObject(new java.util.LinkedHashMap<>(fixed));
        arguments.forEach((k, v) -> {
            if (!query.contains(k) && !template.contains("{" + k + "}")) {
                body.put(k, v);
            }
        });
        return body;
    }

    private Future<JsonObject> call(SelfApi api, Caller caller, Args args) {
        String uri = uri(args);
        JsonObject body = method == HttpMethod.GET || method == HttpMethod.DELETE ? null : body(args.all());
        return api.json(caller, method, uri, body).compose(r -> {
            if (!r.ok()) {
                return Future.failedFuture(ToolFailure.of(r));
            }
            if (r.body().length() == 0) {
                return Future.succeededFuture(new JsonObject().put("status", r.status()));
            }
            Object value = Json.decodeValue(r.body());
            return Future.succeededFuture(value instanceof JsonArray items
                    ? new JsonObject().put("items", items)
                    : (JsonObject) value);
        });
    }
}
