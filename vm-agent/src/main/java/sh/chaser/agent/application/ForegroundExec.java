package sh.chaser.agent.application;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import sh.chaser.agent.runtime.ProcessTable;

/**
 * One command run to completion inside a sandbox: stdout and stderr combined in the order they were
 * written (joined inside the sandbox), the first {@code maxOutput} bytes kept (the rest read and
 * dropped so the command never blocks on a full pipe), and its whole process group killed at the
 * deadline. The exit status comes on stderr, written by the wrapper shell alone: the command is
 * over when that stream ends, even while a child it left in the background holds stdout open (the
 * runtime's relay of the streams would otherwise wait for that child).
 */
@jakarta.enterprise.context.ApplicationScoped
public class ForegroundExec {

    /** cd first so a bad cwd fails like a shell would; the command itself is the second positional argument. */
    public static final String WRAPPER = "cd -- \"$1\" || exit 126; exec /bin/sh -c \"$2\"";
    /** fd 3 keeps the wrapper's stderr for the status line; the command writes both streams to stdout. */
    static final String STATUS = "exec 3>&2 2>&1; cd -- \"$1\" || { echo 126 >&3; exit 126; }; /bin/sh -c \"$2\" 3>&-;"
            + " echo $? >&3";
    private static final long AFTER_STATUS_MS = 200;

    public record Result(int exitCode, byte[] output, boolean truncated, boolean timedOut, long durationMs) {
    }

    @jakarta.inject.Inject
    Sandboxes sandboxes;

    public Result run(String sessionId, String command, String cwd, Map<String, String> env, long timeoutMs,
            int maxOutput) {
        ProcessBuilder builder = sandboxes.enter(sessionId, List.of("/bin/sh", "-c", STATUS, "chaser-exec",
                cwd == null || cwd.isEmpty() ? "/workspace" : cwd, command), env);
        long started = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("could not start the command", e);
        }
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // stdin is not used
        }
        Capture capture = new Capture(process.getInputStream(), maxOutput);
        Thread reader = new Thread(capture, "exec-output-" + sessionId);
        reader.setDaemon(true);
        reader.start();
        var status = new java.util.concurrent.CompletableFuture<String>();
        Thread statusReader = new Thread(() -> {
            try (InputStream err = process.getErrorStream()) {
                status.complete(new String(err.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip());
            } catch (IOException e) {
                status.complete("");
            }
        }, "exec-status-" + sessionId);
        statusReader.setDaemon(true);
        statusReader.start();
        boolean timedOut = false;
        String line = "";
        try {
            line = status.get(timeoutMs, TimeUnit.MILLISECONDS);
            // what the command wrote just before it ended is on its way
            reader.join(AFTER_STATUS_MS);
        } catch (java.util.concurrent.TimeoutException e) {
            timedOut = true;
            ProcessTable.signalTree(process.pid(), "KILL");
        } catch (java.util.concurrent.ExecutionException e) {
            line = "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ProcessTable.signalTree(process.pid(), "KILL");
        }
        int exit = timedOut ? -1 : line.matches("\\d{1,3}") ? Integer.parseInt(line) : killedStatus(process);
        // a child left in the background keeps the relay open: what it wrote so far counts
        process.destroyForcibly();
        return new Result(exit, capture.bytes(), capture.truncated(), timedOut,
                (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * The status when the wrapper itself died before it could say (the sandbox was killed): the
     * runtime's, which reports 128 + the signal; -1 when that is not known either.
     */
    private static int killedStatus(Process process) {
        try {
            return process.waitFor(2, TimeUnit.SECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static final class Capture implements Runnable {
        private final InputStream in;
        private final int max;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private volatile boolean truncated;

        Capture(InputStream in, int max) {
            this.in = in;
            this.max = max;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[16384];
            try (in) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    synchronized (kept) {
                        int room = max - kept.size();
                        kept.write(buffer, 0, Math.max(0, Math.min(room, n)));
                        if (n > room) {
                            truncated = true;
                        }
                    }
                }
            } catch (IOException closed) {
                // the command is gone
            }
        }

        byte[] bytes() {
            synchronized (kept) {
                return kept.toByteArray();
            }
        }

        boolean truncated() {
            return truncated;
        }
    }
}
