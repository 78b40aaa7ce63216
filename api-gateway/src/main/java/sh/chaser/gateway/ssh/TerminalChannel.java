package sh.chaser.gateway.ssh;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.server.ExitCallback;

/**
 * One SSH channel joined to a session's terminal WebSocket: the client's bytes go out as binary
 * frames, the terminal's come back to the channel (written on a thread of the channel's own, so a
 * slow client pauses the WebSocket instead of blocking the event loop), and the terminal's exit
 * frame ends the channel with its code.
 */
final class TerminalChannel {

    private static final int PAUSE_AT = 64;
    private static final int RESUME_AT = 8;

    private final WebSocket socket;
    private final OutputStream out;
    private final ExitCallback exit;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ssh-channel-writer");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicBoolean ended = new AtomicBoolean();
    /** Open once the terminal printed {@link #READY} (its echo is off): input waits for it. */
    private final java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(1);
    private volatile boolean awaitingReady;
    private volatile boolean ending;

    /** What a command without a client terminal prints once its terminal's echo is off (ASCII RS). */
    static final byte READY = 0x1e;

    /** @param awaitReady drop output up to the first {@link #READY} and hold input until then */
    TerminalChannel(WebSocket socket, OutputStream out, ExitCallback exit, boolean awaitReady) {
        this.socket = socket;
        this.out = out;
        this.exit = exit;
        this.awaitingReady = awaitReady;
        if (!awaitReady) {
            ready.countDown();
        }
        socket.binaryMessageHandler(this::output);
        socket.textMessageHandler(this::control);
        // after what the terminal printed before its close (queued while paused) has been taken
        sh.chaser.relay.WebSocketEnd.onEnd(socket, () -> ending = true,
                () -> end(255, "the terminal closed without an exit status"));
        socket.exceptionHandler(e -> end(255, "the terminal's connection failed: " + e.getMessage()));
    }

    private void output(Buffer received) {
        Buffer bytes = received;
        if (awaitingReady) {
            byte[] all = received.getBytes();
            int at = 0;
            while (at < all.length && all[at] != READY) {
                at++;
            }
            if (at == all.length) {
                return;
            }
            awaitingReady = false;
            ready.countDown();
            bytes = Buffer.buffer(java.util.Arrays.copyOfRange(all, at + 1, all.length));
        }
        Buffer chunk = bytes;
        if (pending.incrementAndGet() > PAUSE_AT && !ending) {
            socket.pause();
        }
        onWriter(() -> {
            try {
                out.write(chunk.getBytes());
                out.flush();
            } catch (IOException clientGone) {
                socket.close((short) 1000);
            }
            if (pending.decrementAndGet() == RESUME_AT) {
                socket.resume();
            }
        });
    }

    private void control(String text) {
        JsonObject frame;
        try {
            frame = new JsonObject(text);
        } catch (RuntimeException e) {
            return;
        }
        if ("exit".equals(frame.getString("type"))) {
            end(frame.getInteger("exit_code", 255), null);
        }
    }

    /** Exits the channel once, after what the terminal printed before. */
    private void end(int code, String why) {
        ready.countDown();
        if (ended.compareAndSet(false, true)) {
            onWriter(() -> {
                exit.onExit(code, why == null ? "" : why);
                writer.shutdown();
            });
        }
    }

    /** In order on the channel's writer; once the channel has ended, what the terminal still prints is dropped. */
    private void onWriter(Runnable work) {
        try {
            writer.execute(work);
        } catch (java.util.concurrent.RejectedExecutionException ended) {
            // the client is gone
        }
    }

    /** Copies the client's input to the terminal until the client closes it; then {@code onEof}. */
    void pumpInput(InputStream in, Runnable onEof) throws IOException, InterruptedException {
        if (!ready.await(60, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new IOException("the command's terminal did not get ready within 60 s");
        }
        byte[] chunk = new byte[16 * 1024];
        int n;
        while (!ended.get() && (n = in.read(chunk)) >= 0) {
            if (n > 0) {
                send(Buffer.buffer(java.util.Arrays.copyOf(chunk, n)));
            }
        }
        if (!ended.get()) {
            onEof.run();
        }
    }

    /** Waits while the WebSocket's queue is full, so a fast client cannot fill the gateway's memory. */
    void send(Buffer bytes) throws IOException {
        if (socket.writeQueueFull()) {
            var drained = new java.util.concurrent.CountDownLatch(1);
            socket.drainHandler(v -> drained.countDown());
            try {
                if (socket.writeQueueFull() && !drained.await(60, java.util.concurrent.TimeUnit.SECONDS)) {
                    throw new IOException("the terminal took no input for 60 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        socket.writeBinaryMessage(bytes);
    }

    void resize(int cols, int rows) {
        socket.writeTextMessage(new JsonObject().put("type", "resize").put("cols", cols).put("rows", rows).encode());
    }

    /** The client ended its input to a server that never ends by itself (sftp-server): done, status 0. */
    void finish() {
        end(0, null);
        if (!socket.isClosed()) {
            socket.close((short) 1000);
        }
    }

    /** The SSH client went away: the terminal ends with it (a normal close, not a drop to re-attach). */
    void close() {
        if (!socket.isClosed()) {
            socket.close((short) 1000);
        }
        ended.set(true);
        writer.shutdown();
    }
}
