package sh.chaser.relay;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketBase;

/**
 * When a WebSocket has ended for its reader. Vert.x runs a socket's close handler as the close
 * arrives, even while the socket is paused with messages received before it still queued: acting on
 * the close there drops them (the tail of a download relayed under back-pressure). Here the socket is
 * resumed, the reader told to stop pausing it ({@code draining}), and {@code ended} runs on the
 * socket's context after the queued messages have been delivered.
 */
public final class WebSocketEnd {

    private WebSocketEnd() {}

    public static void onEnd(WebSocketBase socket, Runnable draining, Runnable ended) {
        socket.closeHandler(v -> {
            draining.run();
            Context context = Vertx.currentContext();
            socket.resume(); // queues the delivery of what waits on this context, before what follows
            if (context == null) {
                ended.run();
            } else {
                context.runOnContext(next -> ended.run());
            }
        });
    }
}
