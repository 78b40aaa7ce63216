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
        client.binaryMessageHandler(bytes -> forward(client, host.socket(), bytes));
        client.textMessageHandler(text -> forward(client, host.socket(), text));
        long timer = vertx.setPeriodic(keepalive.toMillis(), id -> {
            if (!client.isClosed()) {
                client.writePing(Buffer.buffer());
            }
        });
        client.closeHandler(v -> {
            vertx.cancelTimer(timer);
            closeOther(host.socket(), client);
            closed.run();
        });
        host.release(client, () -> {
            vertx.cancelTimer(timer);
            closeOther(client, host.socket());
        });
    }

    /** A message (text or bytes) from one side to the other, pausing the sender while the other is full. */
    static void forward(WebSocketBase from, WebSocketBase to, Object message) {
        // a message may still arrive from one side after the other has closed: it has nowhere to go
        if (to.isClosed()) {
            return;
        }
        if (message instanceof Buffer bytes) {
            to.writeBinaryMessage(bytes);
        } else {
            to.writeTextMessage((String) message);
        }
        if (to.writeQueueFull()) {
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
