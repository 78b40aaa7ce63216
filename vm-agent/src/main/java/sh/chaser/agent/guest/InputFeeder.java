package sh.chaser.agent.guest;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import sh.chaser.agent.domain.AgentError;

/**
 * Feeds a process's stdin from a thread of its own, so a process that does not read never blocks
 * the caller (an event loop, a request). What waits is bounded: beyond {@code maxPending} bytes
 * more input is refused.
 */
public final class InputFeeder {

    private static final byte[] EOF = new byte[0];
    private final OutputStream stdin;
    private final long maxPending;
    private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
    private final AtomicLong pending = new AtomicLong();
    private volatile boolean closed;
    private final Object lowWater = new Object();
    private Runnable onLow;
    private long lowAt;

    public InputFeeder(OutputStream stdin, long maxPending, String name) {
        this.stdin = stdin;
        this.maxPending = maxPending;
        Thread thread = new Thread(this::run, "stdin-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues bytes (and, with {@code eof}, the end of input); refused when too much waits already. */
    public void offer(byte[] data, boolean eof) {
        if (closed) {
            throw AgentError.INVALID_REQUEST.exception("stdin is closed");
        }
        if (pending.get() + data.length > maxPending) {
            throw AgentError.INVALID_REQUEST.exception("the command has not read the input sent before ("
                    + pending.get() + " bytes wait); try again later");
        }
        if (data.length > 0) {
            pending.addAndGet(data.length);
            queue.add(data);
        }
        if (eof) {
            closed = true;
            queue.add(EOF);
        }
    }

    private void run() {
        try {
            while (true) {
                byte[] next = queue.take();
                if (next == EOF) {
                    stdin.close();
                    return;
                }
                stdin.write(next);
                stdin.flush();
                pending.addAndGet(-next.length);
                fireIfLow();
            }
        } catch (IOException | InterruptedException gone) {
            closed = true;
            queue.clear();
            pending.set(0);
            fireIfLow();
        }
    }

    /** Bytes queued and not yet written. */
    public long pending() {
        return pending.get();
    }

    /**
     * Runs {@code then} once, on this feeder's thread, when at most {@code bytes} wait (at once on the
     * caller's thread if that is so already): a sender that paused at a high mark resumes there.
     */
    public void whenPendingAtMost(long bytes, Runnable then) {
        synchronized (lowWater) {
            if (pending.get() > bytes && !closed) {
                onLow = then;
                lowAt = bytes;
                return;
            }
        }
        then.run();
    }

    private void fireIfLow() {
        Runnable fire = null;
        synchronized (lowWater) {
            if (onLow != null && (pending.get() <= lowAt || closed)) {
                fire = onLow;
                onLow = null;
            }
        }
        if (fire != null) {
            fire.run();
        }
    }

    /** Stops feeding (the process ended); queued input is dropped. */
    public void close() {
        closed = true;
        queue.add(EOF);
        fireIfLow();
    }
}
