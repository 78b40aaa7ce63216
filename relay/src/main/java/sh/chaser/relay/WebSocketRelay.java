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

    /**
     * @param host held since it opened, so nothing it sent before the client's side was ready is lost
     * @param closed runs once the client's side has closed (to release what the connection held)
     */
    public static void join(Vertx vertx, WebSocketBase client, HeldWebSocket host, Duration keepalive,
            Runnable closed) {
        java.util.concurrent.atomic.AtomicBoolean clientEnding = new java.util.concurrent.atomic.AtomicBoolean();
        client.binaryMessageHandler(bytes -> forward(client, host.socket(), bytes, !clientEnding.get()));
        client.textMessageHandler(text -> forward(client, host.socket(), text, !clientEnding.get()));
        long timer = vertx.setPeriodic(keepalive.toMillis(), id -> {
            if (!client.isClosed()) {
                client.writePing(Buffer.buffer());
            }
        });
        // after what the client sent before its close has been passed on
        WebSocketEnd.onEnd(client, () -> clientEnding.set(true), () -> {
            vertx.cancelTimer(timer);
            closeOther(host.socket(), client);
            closed.run();
        });
        host.release(client, () -> {
            vertx.cancelTimer(timer);
            closeOther(client, host.socket());
        });
    }

    /**
     * A message (text or bytes) from one side to the other, pausing the sender while the other is full
     * ({@code mayPause}: unless the sender has closed and its last messages are being delivered).
     */
    static void forward(WebSocketBase from, WebSocketBase to, Object message, boolean mayPause) {
        // a message may still arrive from one side after the other has closed: it has nowhere to go
        if (to.isClosed()) {
            return;
        }
        if (message instanceof Buffer bytes) {
            to.writeBinaryMessage(bytes);
        } else {
            to.writeTextMessage((String) message);
        }
        if (mayPause && to.writeQueueFull()) {
            from.pause();
            to.drainHandler(v -> from.resume());
        }
    }

    private static void closeOther(WebSocketBase other, WebSocketBase closed) {
        if (!other.isClosed()) {
            Short status = closed.closeStatusCode();
            // a side that dropped without a close frame is "going away" to the other, never a normal
            // close: a terminal stays attachable after a drop but ends when its client closes it
            other.close(status == null || status == 1005 || status == 1006 ? (short) 1001 : status,
                    closed.closeReason());
        }
    }
}
