package sh.chaser.agent.pty;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import sh.chaser.agent.domain.AgentError;
import sh.chaser.agent.runtime.ProcessTable;

/**
 * A command on a pseudo-terminal. util-linux {@code script} opens the terminal on the host and runs
 * the sandbox-entering command as its session leader with the terminal's slave as its controlling
 * terminal; the sandbox inherits the slave as an open descriptor only. Bytes flow through script's
 * stdin and stdout; the window size is set on the slave ({@code stty -F}), which signals SIGWINCH.
 */
public final class PtyProcess {

    private final Process script;
    private final sh.chaser.agent.commands.InputFeeder input;
    private final InputStream output;
    private final List<byte[]> held = new ArrayList<>();
    private boolean started;
    private volatile String slave;

    /**
     * @param holdInput keep keystrokes until the command first prints: the terminal inside the sandbox
     *                  echoes what arrives before the command turned echo off (agent mode)
     */
    private PtyProcess(Process script, boolean holdInput) {
        this.script = script;
        this.input = new sh.chaser.agent.commands.InputFeeder(script.getOutputStream(), 1L << 20, "pty-" + script.pid());
        this.started = !holdInput;
        this.output = new java.io.FilterInputStream(script.getInputStream()) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    release();
                }
                return n;
            }
        };
    }

    private synchronized void release() {
        if (!started) {
            started = true;
            held.forEach(bytes -> input.offer(bytes, false));
            held.clear();
        }
    }

    /**
     * @param enter the sandbox-entering command (its builder carries the sandbox's environment);
     *              script makes the new session itself, so a leading {@code setsid} is dropped
     */
    public static PtyProcess start(ProcessBuilder enter, PtyMode mode, int cols, int rows) {
        List<String> argv = new ArrayList<>(enter.command());
        if (argv.get(0).endsWith("setsid")) {
            argv.remove(0);
        }
        String inner = "stty cols " + cols + " rows " + rows + (mode.echo() ? "" : " -echo") + " 2>/dev/null; exec "
                + String.join(" ", argv.stream().map(PtyProcess::quote).toList());
        ProcessBuilder builder = new ProcessBuilder("script", "-q", "-f", "-e", "-E", mode.echo() ? "auto" : "never",
                "-c", inner, "/dev/null").redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(enter.environment());
        builder.environment().putAll(mode.environment());
        builder.environment().put("SHELL", "/bin/sh");
        try {
            return new PtyProcess(builder.start(), !mode.echo());
        } catch (IOException e) {
            throw AgentError.INTERNAL.exception("could not open a terminal: " + e.getMessage());
        }
    }

    public InputStream output() {
        return output;
    }

    /** Queues keystrokes; refused (and dropped) when 1 MiB waits unread. */
    public synchronized void type(byte[] bytes) {
        if (started) {
            input.offer(bytes, false);
        } else if (held.stream().mapToLong(h -> h.length).sum() + bytes.length <= 1L << 20) {
            held.add(bytes);
        }
    }

    public void resize(int cols, int rows) {
        if (cols < 1 || rows < 1 || cols > 1000 || rows > 1000) {
            throw AgentError.INVALID_ARGUMENT.exception("cols and rows are 1 to 1000");
        }
        String tty = slave();
        if (tty == null) {
            return;
        }
        try {
            new ProcessBuilder("stty", "-F", tty, "cols", Integer.toString(cols), "rows", Integer.toString(rows))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                    .waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw AgentError.INTERNAL.exception("could not resize the terminal");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The terminal's slave on the host: what script's child has as its stdin. */
    private String slave() {
        if (slave == null) {
            for (long child : ProcessTable.children(script.pid())) {
                try {
                    slave = Files.readSymbolicLink(Path.of("/proc", Long.toString(child), "fd", "0")).toString();
                } catch (IOException gone) {
                    // not started yet or already gone
                }
            }
        }
        return slave != null && slave.startsWith("/dev/pts/") ? slave : null;
    }

    /** Waits for the command; its exit code (script passes the child's on). */
    public int waitFor() throws InterruptedException {
        return script.waitFor();
    }

    /** Hangs the terminal up: closing it ends the session's processes with SIGHUP. */
    public void close() {
        input.close();
        script.destroy();
        try {
            if (!script.waitFor(2, TimeUnit.SECONDS)) {
                script.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String quote(String arg) {
        return "'" + arg.replace("'", "'\\''") + "'";
    }
}
