package sh.chaser.relay;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketBase;
import java.util.ArrayList;
import java.util.List;

/**
 * A WebSocket opened before the one it will be joined to: what it receives until then, its close
 * included, is kept and delivered on {@link WebSocketRelay#join}. A command that ends at once (a
 * terminal in exec mode) prints and closes before the client's side has been upgraded; pausing the
 * socket alone does not hold its close.
 */
public final class HeldWebSocket {

    /** Beyond this much kept the socket is paused (TCP pushes back) until it is joined. */
    private static final int MAX_KEPT_BYTES = 1 << 20;

    private final WebSocketBase socket;
    private final List<Object> kept = new ArrayList<>();
    private int keptBytes;
    private boolean closed;
    /** Closed, its last messages being delivered: the socket is no longer paused. */
    private volatile boolean ending;
    private WebSocketBase target;
    private Runnable onClose;

    private HeldWebSocket(WebSocketBase socket) {
        this.socket = socket;
    }

    /** Call as soon as the socket is open, before anything else runs on it. */
    public static HeldWebSocket hold(WebSocketBase socket) {
        HeldWebSocket held = new HeldWebSocket(socket);
        socket.textMessageHandler(held::received);
        socket.binaryMessageHandler(held::received);
        WebSocketEnd.onEnd(socket, held::ending, held::closed);
        return held;
    }

    public WebSocketBase socket() {
        return socket;
    }

    /** Delivers what was kept to {@code to}, then everything later; {@code onClose} runs once it has closed. */
    synchronized void release(WebSocketBase to, Runnable onClose) {
        this.target = to;
        this.onClose = onClose;
        kept.forEach(message -> WebSocketRelay.forward(socket, to, message, !ending));
        kept.clear();
        if (closed) {
            onClose.run();
        } else if (keptBytes > MAX_KEPT_BYTES) {
            socket.resume();
        }
    }

    private synchronized void received(Object message) {
        if (target != null) {
            WebSocketRelay.forward(socket, target, message, !ending);
            return;
        }
        kept.add(message);
        keptBytes += message instanceof Buffer bytes ? bytes.length() : ((String) message).length();
        if (keptBytes > MAX_KEPT_BYTES && !ending) {
            socket.pause();
        }
    }

    private void ending() {
        ending = true;
    }

    private synchronized void closed() {
        closed = true;
        if (onClose != null) {
            onClose.run();
        }
    }
}
