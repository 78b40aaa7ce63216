package sh.chaser.relay;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.streams.Pipe;
import io.vertx.core.streams.ReadStream;
import java.util.HashSet;
import java.util.Set;

/** What an HTTP relay passes on: end-to-end headers only, and a body only when there is one. */
public final class HttpRelay {

    /** Hop-by-hop headers (RFC 9110 7.6.1), the caller's credentials and the WebSocket handshake's own. */
    public static final Set<String> DROPPED = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host", "authorization",
            "x-chaser-account", "expect", "sec-websocket-key", "sec-websocket-version", "sec-websocket-extensions",
            "sec-websocket-protocol");

    private HttpRelay() {}

    /** The headers to pass on, without {@link #DROPPED} and {@code alsoDropped} (lower case). */
    public static MultiMap endToEnd(MultiMap from, String... alsoDropped) {
        Set<String> dropped = new HashSet<>(DROPPED);
        dropped.addAll(Set.of(alsoDropped));
        MultiMap to = MultiMap.caseInsensitiveMultiMap();
        from.forEach(h -> {
            if (!dropped.contains(h.getKey().toLowerCase())) {
                to.add(h.getKey(), h.getValue());
            }
        });
        return to;
    }

    /**
     * Sends {@code out} with {@code in}'s body streamed; a request without a body goes without one
     * (not as an empty chunked body, which simple servers such as Chromium's DevTools refuse).
     */
    public static Future<HttpClientResponse> send(HttpClientRequest out, HttpServerRequest in) {
        boolean hasBody = in.getHeader("Content-Length") != null || in.getHeader("Transfer-Encoding") != null;
        if (hasBody) {
            return stream(in, out);
        }
        in.resume();
        return out.send();
    }

    /**
     * Sends {@code out} with {@code body} streamed (chunked unless {@code out} has a length). A body
     * cut off before its end (the caller hung up) resets {@code out} instead of ending it: Vert.x's
     * own {@code send(ReadStream)} ends it, and a chunked body ended early reads as a whole, shorter one.
     */
    public static Future<HttpClientResponse> stream(ReadStream<Buffer> body, HttpClientRequest out) {
        if (!out.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
            out.setChunked(true);
        }
        Pipe<Buffer> pipe = body.pipe();
        pipe.endOnFailure(false);
        pipe.to(out).onFailure(failure -> out.reset(0, failure));
        return out.response();
    }

    /**
     * Whether a failed request may simply be sent again: it has no body (GET, HEAD, OPTIONS) and the
     * connection closed before any answer, as a pooled keep-alive connection the other side has just
     * closed does. Proxies retry those once.
     */
    public static boolean retryable(HttpServerRequest in, Throwable failure) {
        boolean idempotent = switch (in.method().name()) {
            case "GET", "HEAD", "OPTIONS" -> true;
            default -> false;
        };
        String message = String.valueOf(failure.getMessage());
        return idempotent && in.getHeader("Content-Length") == null && in.getHeader("Transfer-Encoding") == null
                && (message.contains("Connection was closed") || message.contains("Connection reset"));
    }
}
