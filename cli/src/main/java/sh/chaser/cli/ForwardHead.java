package sh.chaser.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** The head of an HTTP/1.1 request on a forwarded connection: read it, and rewrite it for the gateway. */
final class ForwardHead {

    static final int MAX = 64 * 1024;

    private ForwardHead() {}

    /** The bytes up to and including the blank line, or null when the connection ended first. */
    static String read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = { '\r', '\n', '\r', '\n' };
        for (int b = in.read(); b >= 0; b = in.read()) {
            head.write(b);
            matched = b == end[matched] ? matched + 1 : b == '\r' ? 1 : 0;
            if (matched == 4) {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
            if (head.size() > MAX) {
                throw new IOException("request head larger than " + MAX + " bytes");
            }
        }
        return null;
    }

    /**
     * The request under {@code prefix} on the gateway: its path prefixed, {@code Host} the gateway's,
     * the key in {@code Authorization} (replacing one the client sent), the account if chosen, and one
     * request per connection unless it upgrades (a WebSocket then flows through as bytes).
     */
    static String rewrite(String head, String prefix, String host, String authorization, String account) {
        String[] lines = head.split("\r\n");
        String[] request = lines[0].split(" ", 3);
        if (request.length != 3 || !request[1].startsWith("/")) {
            throw new IllegalArgumentException("not an HTTP request: " + lines[0]);
        }
        boolean upgrade = false;
        StringBuilder out = new StringBuilder(request[0]).append(' ').append(prefix).append(request[1]).append(' ')
                .append(request[2]).append("\r\n");
        for (int i = 1; i < lines.length; i++) {
            String name = lines[i].contains(":") ? lines[i].substring(0, lines[i].indexOf(':')).trim() : "";
            String lower = name.toLowerCase(java.util.Locale.ROOT);
            String value = lines[i].substring(lines[i].indexOf(':') + 1).trim();
            if (lower.equals("upgrade") && value.equalsIgnoreCase("websocket")) {
                upgrade = true;
            } else if (lower.equals("upgrade") || lower.equals("http2-settings")) {
                // another protocol (h2c, which the JDK's client offers): the request goes as HTTP/1.1
                continue;
            }
            if (lower.equals("host") || lower.equals("authorization") || lower.equals("x-chaser-account")
                    || lower.equals("connection") || lines[i].isEmpty()) {
                continue;
            }
            out.append(lines[i]).append("\r\n");
        }
        out.append("Host: ").append(host).append("\r\n").append("Authorization: ").append(authorization).append("\r\n");
        if (account != null) {
            out.append("X-Chaser-Account: ").append(account).append("\r\n");
        }
        out.append("Connection: ").append(upgrade ? "Upgrade" : "close").append("\r\n\r\n");
        return out.toString();
    }
}
