package sh.chaser.gateway.api.mcp;

/** A tool call that failed with one of the API's stable codes; it becomes an MCP tool error. */
final class ToolFailure extends RuntimeException {

    private final String code;

    ToolFailure(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    static ToolFailure of(Reply reply) {
        return new ToolFailure(reply.code(), reply.message());
    }

    static ToolFailure invalid(String message) {
        return new ToolFailure("invalid_request", message);
    }

    String code() {
        return code;
    }
}
