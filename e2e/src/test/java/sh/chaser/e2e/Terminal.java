package sh.chaser.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A terminal client over the PTY WebSocket, the JDK's own WebSocket client: binary frames are the
 * terminal's bytes, text frames JSON control messages. It collects what the terminal prints and
 * the control messages it is sent.
 */
final class Terminal implements WebSocket.Listener, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    private final BlockingQueue<String> control = new LinkedBlockingQueue<>();
    private final StringBuilder text = new StringBuilder();
    private volatile boolean closed;
    private volatile String ptyId;
    private volatile long offset;
    private volatile int closeStatus;
    private WebSocket socket;

    static Terminal open(String url, Map<String, String> headers) throws Exception {
        Terminal terminal = new Terminal();
        var builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        headers.forEach(builder::header);
        terminal.socket = builder.buildAsync(URI.create(url), terminal).get(30, TimeUnit.SECONDS);
        return terminal;
    }

    void type(String keys) {
        socket.sendBinary(ByteBuffer.wrap(keys.getBytes(StandardCharsets.UTF_8)), true).join();
    }

    /** Sends bytes as they are; fails when the server has taken nothing for {@code seconds}. */
    void typeBytes(byte[] bytes, int seconds) throws Exception {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).get(seconds, TimeUnit.SECONDS);
    }

    void send(String controlMessage) {
        socket.sendText(controlMessage, true).join();
    }

    /** Waits until the terminal has printed {@code expected}; returns everything printed so far. */
    String await(String expected, int seconds) throws Exception {
        return Await.until(this::printed, s -> s.contains(expected), seconds, "the terminal prints " + expected);
    }

    synchronized String printed() {
        return screen.toString(StandardCharsets.UTF_8);
    }

    synchronized void clear() {
        screen.reset();
    }

    /** The next text message as JSON (a control message), null when none came in time. */
    JsonNode nextControl(int seconds) throws Exception {
        String next = nextText(seconds);
        return next == null ? null : JSON.readTree(next);
    }

    String nextText(int seconds) throws InterruptedException {
        return control.poll(seconds, TimeUnit.SECONDS);
    }

    boolean closed() {
        return closed;
    }

    /** The terminal's id, from the first message the server sends (null before it came). */
    String ptyId() {
        return ptyId;
    }

    /** The output offset after the last byte this connection received: where an attach resumes. */
    synchronized long received() {
        return offset + screen.size();
    }

    /** Closes the connection on purpose (normal closure): the terminal ends. */
    void hangUp() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    }

    int closeStatus() {
        return closeStatus;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        synchronized (this) {
            screen.writeBytes(bytes);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            String message = text.toString();
            text.setLength(0);
            try {
                JsonNode json = JSON.readTree(message);
                if ("pty".equals(json.path("type").asText())) {
                    // which terminal this is: kept apart from the control messages a test awaits
                    ptyId = json.path("pty_id").asText();
                    offset = json.path("offset").asLong();
                    webSocket.request(1);
                    return null;
                }
            } catch (java.io.IOException notJson) {
                // passed on as it is
            }
            control.add(message);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeStatus = statusCode;
        closed = true;
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed = true;
    }

    /** Drops the connection without a close (a network failure): the terminal stays attachable. */
    @Override
    public void close() {
        if (!closed) {
            socket.abort();
        }
    }
}
