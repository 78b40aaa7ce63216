package sh.chaser.gateway.api.mcp;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ImageContent;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/** Tool answers: the JSON result as text and as structured content; failures as tool errors with the code. */
final class ToolResults {

    private static final Logger LOG = Logger.getLogger(ToolResults.class);

    private ToolResults() {}

    static CallToolResult ok(JsonObject result) {
        String json = result.encode();
        return CallToolResult.builder().addTextContent(json).structuredContent(plain(json)).isError(false).build();
    }

    static CallToolResult image(JsonObject result, String base64Png) {
        String json = result.encode();
        return new CallToolResult(List.of(new TextContent(json), new ImageContent(null, base64Png, "image/png")),
                false, plain(json), null);
    }

    /** Plain maps and lists all the way down (a JsonObject's map may hold JsonArrays, which the SDK cannot write). */
    private static Map<String, Object> plain(String json) {
        return new JsonObject(json).getMap();
    }

    static CallToolResult failed(Throwable failure) {
        String code;
        String message;
        if (failure instanceof ToolFailure f) {
            code = f.code();
            message = f.getMessage();
        } else {
            LOG.warnf("an MCP tool failed: %s", String.valueOf(failure));
            code = "service_unavailable";
            message = "the call could not be completed (" + failure.getClass().getSimpleName() + "); retry shortly";
        }
        JsonObject error = new JsonObject().put("code", code).put("message", message);
        return CallToolResult.builder().addTextContent(code + ": " + message)
                .structuredContent(Map.of("error", error.getMap())).isError(true).build();
    }
}
