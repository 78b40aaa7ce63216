package sh.chaser.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A Server-Sent Events client for a background command's output, as a user's program would
 * write one: it reads events, remembers the last event id, and may hang up after some bytes.
 */
final class OutputStreamClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int STALL_SECONDS = 60;
    private static final java.util.concurrent.ScheduledExecutorService WATCHDOG = java.util.concurrent.Executors
            .newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "sse-stall-watchdog");
                t.setDaemon(true);
                return t;
            });
    // HTTP/1.1: the JDK 17 client's HTTP/2 (h2c, which the gateway accepts) stops crediting the
    // connection's flow-control window for data of streams it cancelled, so after a few hang-ups every
    // stream on that connection stalls (docs/api.md, "Output streams and HTTP/2")
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** What one connection read: the bytes (in order), the last id, and the exit code if the stream reached it. */
    record Read(byte[] bytes, long lastId, Integer exitCode, long firstOffset, String stderr) {}

    /**
     * Reads from {@code url} until the exit event or until at least {@code hangUpAfter} bytes came,
     * then drops the connection. {@code lastEventId} (when not null) goes in the Last-Event-ID header.
     */
    Read read(String url, String token, String lastEventId, long hangUpAfter) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<java.io.InputStream> response = http.send(request.build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw new AssertionError("stream answered " + response.statusCode() + ": "
                    + new String(response.body().readAllBytes(), StandardCharsets.UTF_8));
        }
        var bytes = new java.io.ByteArrayOutputStream();
        var stderr = new java.io.ByteArrayOutputStream();
        long lastId = -1;
        long firstOffset = -1;
        String event = null;
        // a stream that goes silent fails the test instead of hanging it: the body is closed when no
        // line came for STALL_SECONDS, and the read that was waiting throws
        var body = response.body();
        var lastLine = new java.util.concurrent.atomic.AtomicLong(System.nanoTime());
        var stalled = new java.util.concurrent.atomic.AtomicBoolean();
        var watchdog = WATCHDOG.scheduleWithFixedDelay(() -> {
            if (System.nanoTime() - lastLine.get() > java.util.concurrent.TimeUnit.SECONDS.toNanos(STALL_SECONDS)) {
                stalled.set(true);
                try {
                    body.close();
                } catch (java.io.IOException ignored) {
                    // closing is all that is wanted
                }
            }
        }, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
        try (var in = body; var lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; lastLine.set(System.nanoTime())) {
                if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("id: ")) {
                    lastId = Long.parseLong(line.substring(4));
                } else if (line.startsWith("data: ")) {
                    JsonNode data = JSON.readTree(line.substring(6));
                    if ("exit".equals(event)) {
                        return new Read(bytes.toByteArray(), lastId, data.get("exit_code").asInt(), firstOffset,
                                stderr.toString(StandardCharsets.UTF_8));
                    }
                    if (firstOffset < 0) {
                        firstOffset = data.get("offset").asLong();
                    }
                    byte[] decoded = Base64.getDecoder().decode(data.get("data").asText());
                    bytes.writeBytes(decoded);
                    if ("stderr".equals(event)) {
                        stderr.writeBytes(decoded);
                    }
                    if (bytes.size() >= hangUpAfter) {
                        // closing the body mid-stream drops the connection
                        return new Read(bytes.toByteArray(), lastId, null, firstOffset,
                                stderr.toString(StandardCharsets.UTF_8));
                    }
                }
            }
        } catch (java.io.IOException e) {
            if (stalled.get()) {
                throw new AssertionError(
                        url + ": no event for " + STALL_SECONDS + " s after " + bytes.size() + " bytes (last id "
                                + lastId + "); the stream stalled");
            }
            throw e;
        } finally {
            watchdog.cancel(false);
        }
        if (stalled.get()) {
            throw new AssertionError(url + ": no event for " + STALL_SECONDS + " s after " + bytes.size()
                    + " bytes; the stream stalled");
        }
        return new Read(bytes.toByteArray(), lastId, null, firstOffset, stderr.toString(StandardCharsets.UTF_8));
    }
}
