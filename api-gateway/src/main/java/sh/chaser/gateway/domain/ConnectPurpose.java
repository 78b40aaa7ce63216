package sh.chaser.gateway.domain;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a connect token opens: one kind of operation on its session. A leaked token for a terminal
 * cannot download files, and one for a forwarded port cannot open a shell.
 */
public enum ConnectPurpose {

    /** {@code pty}: the terminal WebSocket. */
    PTY("pty"),
    /** {@code json/...} and {@code devtools/...} of a browser session. */
    DEVTOOLS("devtools"),
    /** {@code forward/<port>/...}: HTTP and WebSocket to a port in the sandbox; {@code tcp/<port>}: raw TCP. */
    FORWARD("forward"),
    /** {@code commands/<id>/stream}: a background command's Server-Sent Events. */
    STREAM("stream"),
    /** {@code upload} and {@code download}. */
    FILES("files");

    private final String value;

    ConnectPurpose(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public static Optional<ConnectPurpose> parse(String value) {
        return Arrays.stream(values()).filter(p -> p.value.equals(value)).findFirst();
    }

    /** The purpose a route under a session serves ({@code rest}: the path under the session), if any. */
    public static Optional<ConnectPurpose> ofRoute(String rest) {
        if (rest == null) {
            return Optional.empty();
        }
        if (rest.equals("/pty") || rest.startsWith("/pty/")) {
            return Optional.of(PTY);
        }
        if (rest.equals("/json") || rest.startsWith("/json/") || rest.equals("/devtools")
                || rest.startsWith("/devtools/")) {
            return Optional.of(DEVTOOLS);
        }
        if (rest.startsWith("/forward/") || rest.startsWith("/tcp/")) {
            return Optional.of(FORWARD);
        }
        if (rest.matches("/commands/[^/]+/stream/?")) {
            return Optional.of(STREAM);
        }
        if (rest.equals("/upload") || rest.equals("/download")) {
            return Optional.of(FILES);
        }
        return Optional.empty();
    }

    /** When none is asked for: a sandbox's terminal, a browser's DevTools. */
    public static ConnectPurpose defaultFor(String sessionType) {
        return "browser".equals(sessionType) ? DEVTOOLS : PTY;
    }

    public static String listed() {
        return String.join(", ", Arrays.stream(values()).map(ConnectPurpose::value).toList());
    }
}
