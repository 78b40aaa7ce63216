package sh.chaser.gateway.api.mcp;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse.JSONRPCError;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import io.modelcontextprotocol.spec.ProtocolVersions;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import reactor.core.publisher.Mono;

/**
 * MCP's Streamable HTTP transport on the gateway's Vert.x router, stateless: every POST carries one
 * JSON-RPC message and gets its answer as one JSON body (or 202 for a notification); no session id is
 * issued and none is needed, so a bare {@code tools/call} without {@code initialize} and without an
 * {@code Accept} header works, as curl sends it. The caller was authenticated by the gateway before.
 */
final class McpEndpoint implements McpStatelessServerTransport {

    static final int MAX_BODY = 24 * 1024 * 1024;
    private static final Logger LOG = Logger.getLogger(McpEndpoint.class);
    private final McpJsonMapper json;
    private volatile McpStatelessServerHandler handler;

    McpEndpoint(McpJsonMapper json) {
        this.json = json;
    }

    @Override
    public void setMcpHandler(McpStatelessServerHandler handler) {
        this.handler = handler;
    }

    @Override
    public List<String> protocolVersions() {
        return List.of(ProtocolVersions.MCP_2025_03_26, ProtocolVersions.MCP_2025_06_18,
                ProtocolVersions.MCP_2025_11_25);
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.empty();
    }

    /** Reads the message (at most {@link #MAX_BODY}), hands it to the SDK's handler, answers on this context. */
    void serve(RoutingContext ctx, Caller caller) {
        Context context = Vertx.currentContext();
        Buffer body = Buffer.buffer();
        var request = ctx.request();
        request.handler(chunk -> {
            if (body.length() + chunk.length() > MAX_BODY) {
                request.handler(null);
                request.endHandler(null);
                unidentified(ctx, 413, McpSchema.ErrorCodes.INVALID_REQUEST,
                        "the message is larger than " + MAX_BODY + " bytes");
                ctx.request().connection().close();
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(e -> LOG.debugf("an MCP request was cut off: %s", e.getMessage()));
        request.endHandler(v -> {
            try {
                dispatch(ctx, context, caller, body.toString());
            } catch (RuntimeException e) {
                LOG.warnf(e, "an MCP message failed");
                unidentified(ctx, 500, McpSchema.ErrorCodes.INTERNAL_ERROR, "the message could not be handled");
            }
        });
        request.resume();
    }

    private void dispatch(RoutingContext ctx, Context context, Caller caller, String text) {
        McpSchema.JSONRPCMessage message;
        try {
            message = McpSchema.deserializeJsonRpcMessage(json, text);
        } catch (IOException | IllegalArgumentException e) {
            unidentified(ctx, 400, McpSchema.ErrorCodes.PARSE_ERROR,
                    "the body must be one JSON-RPC 2.0 message (" + e.getClass().getSimpleName() + ")");
            return;
        }
        McpTransportContext transport = McpTransportContext.create(Map.of(Caller.KEY, caller));
        if (message instanceof McpSchema.JSONRPCRequest call) {
            handler.handleRequest(transport, call).subscribe(
                    response -> context.runOnContext(v -> answer(ctx, 200, response)),
                    failure -> context.runOnContext(v -> answer(ctx, 200, rpcError(call.id(),
                            McpSchema.ErrorCodes.INTERNAL_ERROR, String.valueOf(failure.getMessage())))));
        } else if (message instanceof McpSchema.JSONRPCNotification notification) {
            handler.handleNotification(transport, notification).subscribe(null,
                    failure -> context.runOnContext(v -> ctx.response().setStatusCode(202).end()),
                    () -> context.runOnContext(v -> ctx.response().setStatusCode(202).end()));
        } else {
            // a client's answer to a server request: this server sends none, so there is nothing to match
            ctx.response().setStatusCode(202).end();
        }
    }

    private static McpSchema.JSONRPCResponse rpcError(Object id, int code, String message) {
        return new McpSchema.JSONRPCResponse(McpSchema.JSONRPC_VERSION, id, null, new JSONRPCError(code, message));
    }

    /** A JSON-RPC error for a message whose id is unknown (JSON-RPC's {@code "id": null}). */
    private static void unidentified(RoutingContext ctx, int status, int code, String message) {
        if (!ctx.response().ended()) {
            ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(new JsonObject()
                    .put("jsonrpc", "2.0").putNull("id")
                    .put("error", new JsonObject().put("code", code).put("message", message)).encode());
        }
    }

    private void answer(RoutingContext ctx, int status, McpSchema.JSONRPCResponse response) {
        if (ctx.response().ended()) {
            return;
        }
        try {
            ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                    .end(json.writeValueAsString(response));
        } catch (IOException e) {
            ctx.response().setStatusCode(500).end();
        }
    }
}
