package sh.chaser.agent.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Copies a process's output (a blocking stream) to a Vert.x stream on a thread of its own, waiting
 * whenever the receiver's write queue is full, so nothing is buffered beyond that queue.
 */
@ApplicationScoped
public class StreamCopy {

    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "stream-copy");
        thread.setDaemon(true);
        return thread;
    });

    /** Copies {@code in} to {@code out} until either ends; {@code done} gets true when the receiver went away first. */
    public void copy(InputStream in, WriteStream<Buffer> out, Gate gate, Consumer<Boolean> done) {
        threads.execute(() -> {
            boolean failed = false;
            byte[] buffer = new byte[65536];
            try (in) {
                for (int n; (n = in.read(buffer)) > 0;) {
                    gate.awaitRoom();
                    out.write(Buffer.buffer(Arrays.copyOf(buffer, n)));
                }
            } catch (IOException | InterruptedException e) {
                failed = gate.closed();
            }
            done.accept(failed || gate.closed());
        });
    }

    /** Blocks the copying thread while the receiver's queue is full; opens on drain, fails on close. */
    public static final class Gate {

        private final WriteStream<Buffer> out;
        private volatile boolean closed;

        public Gate(WriteStream<Buffer> out) {
            this.out = out;
            out.drainHandler(v -> wake());
        }

        public void close() {
            closed = true;
            wake();
        }

        boolean closed() {
            return closed;
        }

        private synchronized void wake() {
            notifyAll();
        }

        synchronized void awaitRoom() throws InterruptedException, IOException {
            while (out.writeQueueFull() && !closed) {
                wait(1000);
            }
            if (closed) {
                throw new IOException("the receiver went away");
            }
        }
    }

    @PreDestroy
    void close() {
        threads.shutdownNow();
    }
}
