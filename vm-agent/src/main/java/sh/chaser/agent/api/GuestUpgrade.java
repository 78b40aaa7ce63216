package sh.chaser.agent.api;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;

/**
 * Turns a connection to a guest agent into the connection to a port inside the guest: sends the
 * upgrade request and reads the answer's head; a {@code 101} leaves the socket paused, with what
 * followed the head in {@link Dialled#early}.
 */
final class GuestUpgrade {

    private static final int MAX_HEAD = 16 * 1024;

    /** A socket joined to the port, paused, and bytes the port sent that arrived with the answer's head. */
    record Dialled(NetSocket socket, Buffer early) {}

    private GuestUpgrade() {}

    static Future<Dialled> through(NetSocket socket, String request) {
        Promise<Dialled> done = Promise.promise();
        Buffer head = Buffer.buffer();
        socket.handler(bytes -> {
            head.appendBuffer(bytes);
            String text = head.toString(StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            if (end < 0) {
                if (head.length() > MAX_HEAD) {
                    socket.close();
                    done.tryFail(new IllegalStateException("the guest agent's answer has no end"));
                }
                return;
            }
            socket.pause();
            socket.handler(null);
            String status = text.substring(0, text.indexOf("\r\n"));
            if (status.startsWith("HTTP/1.1 101")) {
                done.tryComplete(new Dialled(socket, head.getBuffer(end + 4, head.length())));
            } else {
                socket.close();
                done.tryFail(status.contains(" 502 ")
                        ? new ConnectException("connection refused in the guest")
                        : new IllegalStateException("the guest agent answered " + status));
            }
        });
        socket.closeHandler(v -> done.tryFail(new ConnectException("the guest agent closed the connection")));
        socket.write(Buffer.buffer(request.getBytes(StandardCharsets.UTF_8)));
        return done.future();
    }
}
