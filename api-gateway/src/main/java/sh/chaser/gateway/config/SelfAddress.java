package sh.chaser.gateway.config;

/** Where the gateway reaches its own public API (MCP tools, SSH channels): its bind host, or loopback for a wildcard. */
public final class SelfAddress {

    private SelfAddress() {}

    public static String of(String bindHost) {
        return "0.0.0.0".equals(bindHost) || "::".equals(bindHost) ? "127.0.0.1" : bindHost;
    }
}
