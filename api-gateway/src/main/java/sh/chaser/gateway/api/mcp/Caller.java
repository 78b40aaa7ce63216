package sh.chaser.gateway.api.mcp;

import io.modelcontextprotocol.common.McpTransportContext;

/**
 * Who called {@code /v1/mcp}: the credential and account selector exactly as they came. Every tool
 * sends them on with its own requests to the public API, so each step is authenticated, scoped,
 * rate-limited and audited as if the caller had sent it.
 *
 * @param account the {@code X-Chaser-Account} header, or null
 */
record Caller(String authorization, String account) {

    static final String KEY = "chaser.caller";

    static Caller of(McpTransportContext context) {
        Object caller = context.get(KEY);
        if (caller instanceof Caller c) {
            return c;
        }
        throw new IllegalStateException("an MCP call without its caller");
    }
}
