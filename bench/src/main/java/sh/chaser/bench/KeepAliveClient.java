package sh.chaser.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A lean HTTP/1.1 client over one kept-alive plain socket, as curl behaves: each request in one
 * write (no gap between headers and body), no thread hand-offs. The JDK's client adds 1 to 10 ms of
 * its own per call on this machine, which would hide the server's time; this measures the server.
 */
final class KeepAliveClient implements AutoCloseable {

    /** @param body the answer's text, or empty when it was counted and dropped ({@link #get}) */
    record Answer(int status, String body, long length) {}

    private final URI base;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    private final javax.net.ssl.SSLContext tls;
    private final byte[] scratch = new byte[256 * 1024];

    KeepAliveClient(String baseUrl) {
        this(baseUrl, null);
    }

    /** @param tls for an {@code https} base: the context with the client's certificate */
    KeepAliveClient(String baseUrl, javax.net.ssl.SSLContext tls) {
        this.base = URI.create(baseUrl);
        this.tls = tls;
    }

    Answer post(String path, Map<String, String> headers, String body) throws IOException {
        return send("POST", path, headers, body.getBytes(StandardCharsets.UTF_8), false);
    }

    /** Sends {@code content} as the request's body, in one write with its headers. */
    Answer send(String method, String path, Map<String, String> headers, byte[] content) throws IOException {
        return send(method, path, headers, content, false);
    }

    /** A GET whose answer's body is counted, not kept (as {@code curl -o /dev/null}). */
    Answer get(String path, Map<String, String> headers) throws IOException {
        return send("GET", path, headers, null, true);
    }

    private Answer send(String method, String path, Map<String, String> headers, byte[] content, boolean drop)
            throws IOException {
        boolean reused = socket != null && !socket.isClosed();
        try {
            return exchange(method, path, headers, content, drop);
        } catch (ClosedBeforeAnswer e) {
            if (!reused) {
                throw e;
            }
            // a kept-alive connection the server closed between two requests: once more on a new one, as curl does
            close();
            return exchange(method, path, headers, content, drop);
        }
    }

    /** The server closed the connection before the first byte of its answer. */
    private static final class ClosedBeforeAnswer extends IOException {

        ClosedBeforeAnswer() {
            super("the server closed the connection before answering");
        }
    }

    private Answer exchange(String method, String path, Map<String, String> headers, byte[] content, boolean drop)
            throws IOException {
        if (socket == null || socket.isClosed()) {
            socket = tls == null
                    ? new Socket(base.getHost(), base.getPort())
                    : tls.getSocketFactory().createSocket(base.getHost(), base.getPort());
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(30_000);
            in = new BufferedInputStream(socket.getInputStream(), 65536);
            out = socket.getOutputStream();
        }
        StringBuilder request = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ")
                .append(base.getHost()).append(':').append(base.getPort()).append("\r\n");
        if (content != null) {
            request.append("Content-Length: ").append(content.length).append("\r\n");
        }
        headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        request.append("\r\n");
        byte[] head = request.toString().getBytes(StandardCharsets.US_ASCII);
        if (content == null || content.length > 64 * 1024) {
            out.write(head);
            if (content != null) {
                out.write(content);
            }
        } else {
            byte[] whole = java.util.Arrays.copyOf(head, head.length + content.length);
            System.arraycopy(content, 0, whole, head.length, content.length);
            out.write(whole);
        }
        out.flush();
        return read(drop);
    }

    private Answer read(boolean drop) throws IOException {
        int first = in.read();
        if (first < 0) {
            throw new ClosedBeforeAnswer();
        }
        String status = (char) first + line();
        int code = Integer.parseInt(status.split(" ")[1]);
        long length = -1;
        boolean chunked = false;
        boolean close = false;
        for (String header = line(); !header.isEmpty(); header = line()) {
            String lower = header.toLowerCase();
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(lower.substring(15).strip());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            } else if (lower.startsWith("connection:") && lower.contains("close")) {
                close = true;
            }
        }
        OutputStream body = drop ? OutputStream.nullOutputStream() : new ByteArrayOutputStream();
        long received = 0;
        if (chunked) {
            for (int size = Integer.parseInt(line().split(";")[0].strip(), 16); size > 0; size = Integer
                    .parseInt(line().split(";")[0].strip(), 16)) {
                received += copy(size, body);
                line();
            }
            line();
        } else if (length >= 0) {
            received = copy(length, body);
        }
        if (close) {
            close();
        }
        return new Answer(code, drop ? "" : ((ByteArrayOutputStream) body).toString(StandardCharsets.UTF_8), received);
    }

    private long copy(long length, OutputStream body) throws IOException {
        for (long left = length; left > 0;) {
            int n = in.read(scratch, 0, (int) Math.min(scratch.length, left));
            if (n < 0) {
                throw new IOException("the server closed the connection inside a body");
            }
            body.write(scratch, 0, n);
            left -= n;
        }
        return length;
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the server closed the connection");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            socket.close();
        }
    }
}
