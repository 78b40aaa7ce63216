package sh.chaser.agent.application;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One command run to completion inside a sandbox: stdout and stderr combined in arrival order, the
 * first {@code maxOutput} bytes kept (the rest read and dropped so the command never blocks on a full
 * pipe), and its whole process group killed at the deadline.
 */
@jakarta.enterprise.context.ApplicationScoped
public class ForegroundExec {

    /** cd first so a bad cwd fails like a shell would; the command itself is the second positional argument. */
    public static final String WRAPPER = "cd -- \"$1\" || exit 126; exec /bin/sh -c \"$2\"";

    public record Result(int exitCode, byte[] output, boolean truncated, boolean timedOut, long durationMs) {
    }

    @jakarta.inject.Inject
    Sandboxes sandboxes;

    public Result run(String sessionId, String command, String cwd, Map<String, String> env, long timeoutMs,
            int maxOutput) {
        ProcessBuilder builder = sandboxes.enter(sessionId, List.of("/bin/sh", "-c", WRAPPER, "chaser-exec",
                cwd == null || cwd.isEmpty() ? "/workspace" : cwd, command), env).redirectErrorStream(true);
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
        boolean timedOut = false;
        try {
            if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
                timedOut = true;
                killGroup(process.pid());
                process.waitFor(5, TimeUnit.SECONDS);
            }
            // a child left in the background may keep the pipe open: what it wrote so far counts
            reader.join(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            killGroup(process.pid());
        }
        int exit = timedOut ? -1 : process.isAlive() ? -1 : process.exitValue();
        return new Result(exit, capture.bytes(), capture.truncated(), timedOut,
                (System.nanoTime() - started) / 1_000_000);
    }

    /** The command runs in its own session (setsid): its group id is its pid. */
    private static void killGroup(long pgid) {
        sh.chaser.agent.runtime.ProcessTable.signalGroup(pgid, "KILL");
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
