package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The official MCP TypeScript SDK client ({@code @modelcontextprotocol/sdk}, installed with npm into
 * {@code target/mcp}) speaking Streamable HTTP to {@code /v1/mcp} with an API key: {@code client.mjs}.
 */
final class McpSdkClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;
    private final int timeoutSeconds;

    McpSdkClient(int timeoutSeconds) throws Exception {
        this.timeoutSeconds = timeoutSeconds;
        dir = NodePackage.install("mcp", "package.json", "client.mjs");
    }

    /** Runs {@code scenario} of client.mjs with {@code apiKey}; the JSON line it printed. */
    JsonNode run(String apiUrl, String apiKey, String... scenario) throws Exception {
        List<String> command = new ArrayList<>(List.of("node", dir.resolve("client.mjs").toString(), apiUrl));
        command.addAll(List.of(scenario));
        var pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("CHASER_API_KEY", apiKey);
        pb.environment().put("MCP_TIMEOUT_MS", Long.toString(timeoutSeconds * 1000L / 2));
        Process p = pb.start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        boolean ended = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        String out = output.get(10, TimeUnit.SECONDS);
        assertTrue(ended, "the MCP client did not finish within " + timeoutSeconds + " s:\n" + out);
        assertEquals(0, p.exitValue(), "the MCP client (" + String.join(" ", scenario) + "):\n" + out);
        String[] lines = out.strip().split("\n");
        return JSON.readTree(lines[lines.length - 1]);
    }
}
