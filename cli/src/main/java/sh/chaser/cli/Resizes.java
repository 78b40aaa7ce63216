package sh.chaser.cli;

import java.net.http.WebSocket;

/**
 * Sends the local terminal's size to the remote one whenever it changes: on SIGWINCH where the JVM
 * lets us handle it, and by a check every half second besides (a signal may be missed, or unavailable).
 * Keys and resizes share the socket through {@link #send}.
 */
final class Resizes {

    private static final Object SENDING = new Object();

    private Resizes() {}

    /** One message at a time: the JDK's WebSocket refuses a send while another is in flight. */
    static void send(WebSocket socket,
            java.util.function.Function<WebSocket, java.util.concurrent.CompletableFuture<WebSocket>> message) {
        synchronized (SENDING) {
            message.apply(socket).join();
        }
    }

    static void follow(WebSocket socket, int rows, int cols) {
        int[] last = { rows, cols };
        Runnable check = () -> {
            int[] now = Tty.size();
            synchronized (last) {
                if (now != null && (now[0] != last[0] || now[1] != last[1])) {
                    last[0] = now[0];
                    last[1] = now[1];
                    String resize = "{\"type\":\"resize\",\"cols\":" + now[1] + ",\"rows\":" + now[0] + "}";
                    send(socket, ws -> ws.sendText(resize, true));
                }
            }
        };
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), signal -> check.run());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // no SIGWINCH for us here: the polling below is enough
        }
        Thread poll = new Thread(() -> {
            while (!socket.isOutputClosed()) {
                check.run();
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "chaser-shell-resize");
        poll.setDaemon(true);
        poll.start();
    }
}
