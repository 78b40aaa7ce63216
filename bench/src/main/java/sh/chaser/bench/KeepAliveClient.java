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

    record Answer(int status, String body) {}

    private final URI base;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    KeepAliveClient(String baseUrl) {
        this.base = URI.create(baseUrl);
    }

    Answer post(String path, Map<String, String> headers, String body) throws IOException {
        if (socket == null || socket.isClosed()) {
            socket = new Socket(base.getHost(), base.getPort());
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(30_000);
            in = new BufferedInputStream(socket.getInputStream(), 65536);
            out = socket.getOutputStream();
        }
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder request = new StringBuilder("POST ").append(path).append(" HTTP/1.1\r\nHost: ")
                .append(base.getHost()).append(':').append(base.getPort()).append("\r\nContent-Length: ")
                .append(content.length).append("\r\n");
        headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        request.append("\r\n");
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        whole.write(request.toString().getBytes(StandardCharsets.US_ASCII));
        whole.write(content);
        out.write(whole.toByteArray());
        out.flush();
        return read();
    }

    private Answer read() throws IOException {
        String status = line();
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
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunked) {
            for (int size = Integer.parseInt(line().split(";")[0].strip(), 16); size > 0; size = Integer
                    .parseInt(line().split(";")[0].strip(), 16)) {
                body.write(in.readNBytes(size));
                line();
            }
            line();
        } else if (length >= 0) {
            body.write(in.readNBytes((int) length));
        }
        if (close) {
            close();
        }
        return new Answer(code, body.toString(StandardCharsets.UTF_8));
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
