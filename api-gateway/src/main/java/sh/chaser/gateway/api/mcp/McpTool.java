package sh.chaser.gateway.api.mcp;

import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import reactor.core.publisher.Mono;

/** One tool: its declaration (name, description, input schema) and what a call does. */
record McpTool(Tool tool, Handler handler) {

    interface Handler {

        Future<CallToolResult> call(Caller caller, Args args);
    }

    interface JsonHandler {

        Future<JsonObject> call(Caller caller, Args args);
    }

    /** A tool whose result is a JSON object. */
    static McpTool json(Tool tool, JsonHandler handler) {
        return new McpTool(tool, (caller, args) -> handler.call(caller, args).map(ToolResults::ok));
    }

    /** The tool for the SDK: any failure, thrown or failed, is answered as a tool error with its code. */
    AsyncToolSpecification specification(JsonSchemaValidator validator) {
        return new AsyncToolSpecification(tool, (context, request) -> Mono.fromCompletionStage(() -> {
            Future<CallToolResult> result;
            try {
                var valid = validator.validate(tool.inputSchema(),
                        request.arguments() == null ? Map.of() : request.arguments());
                if (!valid.valid()) {
                    throw ToolFailure.invalid(valid.errorMessage());
                }
                result = handler.call(Caller.of(context), new Args(request.arguments()));
            } catch (RuntimeException e) {
                result = Future.failedFuture(e);
            }
            return result.recover(failure -> Future.succeededFuture(ToolResults.failed(failure))).toCompletionStage();
        }));
    }
}
