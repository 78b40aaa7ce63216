package sh.chaser.agent.runtime.firecracker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * A client of Firecracker's REST API on its Unix socket (junixsocket), one HTTP/1.1 exchange per
 * connection. A non-2xx answer becomes a {@link Fault} carrying Firecracker's {@code fault_message}.
 */
public final class FirecrackerApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path socket;

    public FirecrackerApi(Path socket) {
        this.socket = socket;
    }

    public JsonNode get(String path) {
        return exchange("GET", path, null);
    }

    public void put(String path, Object body) {
        exchange("PUT", path, body);
    }

    public void patch(String path, Object body) {
        exchange("PATCH", path, body);
    }

    /** Whether something answers on the socket yet. */
    public boolean answers() {
        try {
            get("/");
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private JsonNode exchange(String method, String path, Object body) {
        try (AFUNIXSocket connection = AFUNIXSocket.newInstance()) {
            connection.connect(AFUNIXSocketAddress.of(socket));
            byte[] payload = body == null ? new byte[0] : JSON.writeValueAsBytes(body);
            String head = method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n"
                    + (body == null ? "" : "Content-Type: application/json\r\n")
                    + "Content-Length: " + payload.length + "\r\nConnection: close\r\n\r\n";
            // one write: a peer that answers as soon as it has the head may close before a second
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.write(head.getBytes(StandardCharsets.US_ASCII));
            request.write(payload);
            OutputStream out = connection.getOutputStream();
            out.write(request.toByteArray());
            out.flush();
            return read(connection.getInputStream(), method, path);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Firecracker API " + method + " " + path + " on " + socket + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode read(InputStream in, String method, String path) throws IOException {
        String status = line(in);
        int code = Integer.parseInt(status.split(" ")[1]);
        int length = -1;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(header.substring(15).strip());
            }
        }
        byte[] bytes = length >= 0 ? in.readNBytes(length) : in.readAllBytes();
        JsonNode answer = bytes.length == 0 ? JSON.nullNode() : JSON.readTree(bytes);
        if (code / 100 != 2) {
            throw new Fault(method + " " + path + " answered " + code + ": "
                    + answer.path("fault_message").asText(new String(bytes, StandardCharsets.UTF_8)));
        }
        return answer;
    }

    /** One CRLF-terminated HTTP line, without its terminator. */
    public static String line(InputStream in) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed mid-response");
            }
            if (b != '\r') {
                buffer.write(b);
            }
        }
        return buffer.toString(StandardCharsets.US_ASCII);
    }

    /** Firecracker refused a request. */
    public static final class Fault extends RuntimeException {

        public Fault(String message) {
            super(message);
        }
    }
}
