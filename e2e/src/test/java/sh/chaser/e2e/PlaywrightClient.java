package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Playwright ({@code playwright-core}, installed with npm into {@code target/playwright}) connected
 * over CDP through the gateway with an API key, as a user's program connects: {@code cdp.mjs}.
 */
final class PlaywrightClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;
    private final int timeoutSeconds;

    /** @param timeoutSeconds how long one run may take (connecting included) */
    PlaywrightClient(int timeoutSeconds) throws Exception {
        this.timeoutSeconds = timeoutSeconds;
        dir = NodePackage.install("playwright", "package.json", "cdp.mjs");
    }

    /** Runs {@code action} on the session at {@code endpoint}; the JSON line it printed. */
    JsonNode run(String endpoint, String action, String apiKey, String cookie) throws Exception {
        Process p = start(endpoint, action, apiKey, cookie);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(timeoutSeconds, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "playwright " + action + " on " + endpoint + ":\n" + out);
        String[] lines = out.strip().split("\n");
        return JSON.readTree(lines[lines.length - 1]);
    }

    Process start(String endpoint, String action, String apiKey, String cookie) throws Exception {
        var pb = new ProcessBuilder("node", dir.resolve("cdp.mjs").toString(), endpoint, action)
                .directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("CHASER_API_KEY", apiKey);
        pb.environment().put("CDP_TIMEOUT_MS", Long.toString(timeoutSeconds * 1000L / 2));
        if (cookie != null) {
            pb.environment().put("COOKIE_VALUE", cookie);
        }
        return pb.start();
    }
}
