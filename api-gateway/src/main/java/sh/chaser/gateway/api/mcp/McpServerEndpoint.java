package sh.chaser.gateway.api.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.json.schema.jackson2.DefaultJsonSchemaValidator;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessAsyncServer;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import sh.chaser.gateway.api.ApiPipeline;

/**
 * {@code POST /v1/mcp}: the MCP server (the MCP Java SDK's stateless server) with Chaser's tools,
 * reached once the gateway has authenticated the caller.
 */
@ApplicationScoped
public class McpServerEndpoint {

    static final String NAME = "chaser";
    static final String VERSION = "0.1.0";

    @Inject
    SelfApi api;
    @Inject
    SandboxTools sandbox;
    @Inject
    BrowserTool browser;

    private McpEndpoint endpoint;
    private McpStatelessAsyncServer server;

    @PostConstruct
    void start() {
        ObjectMapper mapper = new ObjectMapper();
        var json = new JacksonMcpJsonMapper(mapper);
        endpoint = new McpEndpoint(json);
        var validator = new DefaultJsonSchemaValidator(mapper);
        server = McpServer.async(endpoint).serverInfo(NAME, VERSION).jsonMapper(json)
                // inputs are validated by each tool (McpTool), so a refusal carries the API's code
                .validateToolInputs(false)
                .capabilities(ServerCapabilities.builder().tools(false).build())
                .instructions("Chaser runs Linux sandboxes and real Chrome browsers. Use terminal and the file tools"
                        + " for a sandbox, browser for a web page; pass the session_id a result names to keep working"
                        + " in the same machine.")
                .tools(tools().stream().map(t -> t.specification(validator)).toList()).build();
    }

    List<McpTool> tools() {
        List<McpTool> all = new ArrayList<>(sandbox.tools());
        all.add(browser.tool());
        LifecycleTools.ALL.forEach(t -> all.add(t.tool(api)));
        return all;
    }

    @PreDestroy
    void stop() {
        server.close();
    }

    /** Answers one MCP message of an authenticated caller, who is named to every tool it calls. */
    public void serve(RoutingContext ctx) {
        var request = ctx.request();
        endpoint.serve(ctx,
                new Caller(request.getHeader("Authorization"), request.getHeader(ApiPipeline.ACCOUNT_HEADER)));
    }
}
