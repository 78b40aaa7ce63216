package sh.chaser.relay;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketBase;
import java.time.Duration;

/**
 * Joins a client's WebSocket to the one it is relayed to: every message both ways with its kind,
 * flow control (a full side pauses the other), a close on either side closes the other with its
 * status, and a ping to the client every {@code keepalive} so idle connections survive proxies.
 */
public final class WebSocketRelay {

    private WebSocketRelay() {}

    /** @param closed runs once the client's side has closed (to release what the connection held) */
    public static void join(Vertx vertx, WebSocketBase client, WebSocketBase host, Duration keepalive,
            Runnable closed) {
        pipe(client, host);
        pipe(host, client);
        long timer = vertx.setPeriodic(keepalive.toMillis(), id -> {
            if (!client.isClosed()) {
                client.writePing(Buffer.buffer());
            }
        });
        client.closeHandler(v -> {
            vertx.cancelTimer(timer);
            closeOther(host, client);
            closed.run();
        });
        host.closeHandler(v -> {
            vertx.cancelTimer(timer);
            closeOther(client, host);
        });
    }

    private static void pipe(WebSocketBase from, WebSocketBase to) {
        // a message may still arrive from one side after the other has closed: it has nowhere to go
        from.binaryMessageHandler(bytes -> {
            if (!to.isClosed()) {
                to.writeBinaryMessage(bytes);
                holdWhileFull(from, to);
            }
        });
        from.textMessageHandler(text -> {
            if (!to.isClosed()) {
                to.writeTextMessage(text);
                holdWhileFull(from, to);
            }
        });
    }

    private static void holdWhileFull(WebSocketBase from, WebSocketBase to) {
        if (to.writeQueueFull()) {
            from.pause();
            to.drainHandler(v -> from.resume());
        }
    }

    private static void closeOther(WebSocketBase other, WebSocketBase closed) {
        if (!other.isClosed()) {
            Short status = closed.closeStatusCode();
            other.close(status == null || status == 1005 || status == 1006 ? (short) 1000 : status,
                    closed.closeReason());
        }
    }
}
