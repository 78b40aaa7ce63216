package sh.chaser.agent.api;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketBase;
import java.util.Set;

/** What a relay passes on: end-to-end headers only, and every WebSocket frame with its kind. */
final class Relay {

    /** Hop-by-hop headers (RFC 9110 7.6.1) and the gateway's own. */
    private static final Set<String> HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host", "authorization",
            "x-chaser-account");

    private Relay() {
    }

    static MultiMap requestHeaders(MultiMap from) {
        return copy(from);
    }

    static MultiMap responseHeaders(MultiMap from) {
        return copy(from);
    }

    private static MultiMap copy(MultiMap from) {
        MultiMap to = MultiMap.caseInsensitiveMultiMap();
        from.forEach(h -> {
            if (!HOP.contains(h.getKey().toLowerCase())) {
                to.add(h.getKey(), h.getValue());
            }
        });
        return to;
    }

    /** Joins two WebSockets: frames both ways with flow control, a close on one closes the other. */
    static void join(Vertx vertx, WebSocketBase a, WebSocketBase b) {
        pipe(a, b);
        pipe(b, a);
        long keepalive = vertx.setPeriodic(PtyRoutes.KEEPALIVE_MS, id -> a.writePing(Buffer.buffer()));
        a.closeHandler(v -> {
            vertx.cancelTimer(keepalive);
            close(b, a);
        });
        b.closeHandler(v -> {
            vertx.cancelTimer(keepalive);
            close(a, b);
        });
    }

    private static void pipe(WebSocketBase from, WebSocketBase to) {
        from.binaryMessageHandler(bytes -> {
            to.writeBinaryMessage(bytes);
            holdWhileFull(from, to);
        });
        from.textMessageHandler(text -> {
            to.writeTextMessage(text);
            holdWhileFull(from, to);
        });
    }

    private static void holdWhileFull(WebSocketBase from, WebSocketBase to) {
        if (to.writeQueueFull()) {
            from.pause();
            to.drainHandler(v -> from.resume());
        }
    }

    private static void close(WebSocketBase other, WebSocketBase closed) {
        if (!other.isClosed()) {
            Short status = closed.closeStatusCode();
            other.close(status == null || status == 1005 || status == 1006 ? (short) 1000 : status,
                    closed.closeReason());
        }
    }
}
