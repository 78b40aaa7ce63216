package sh.chaser.agent.commands;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;

/** A command started in the background inside a sandbox: its process, stdin and kept output. */
public final class BackgroundCommand {

    private final String id;
    private final String sessionId;
    private final String command;
    private final Process process;
    private final long pid;
    private final CommandOutput output;
    private final Instant startedAt = Instant.now();
    private volatile Instant finishedAt;
    private volatile Integer exitCode;
    private final InputFeeder input;

    BackgroundCommand(String id, String sessionId, String command, Process process, long pid, CommandOutput output) {
        this.id = id;
        this.sessionId = sessionId;
        this.command = command;
        this.process = process;
        this.pid = pid;
        this.output = output;
        this.input = new InputFeeder(process.getOutputStream(), 8L << 20, id);
    }

    /** Copies stdout and stderr into the output, then records the exit once both have ended. */
    void pump() {
        Thread out = copier(process.getInputStream(), false);
        Thread err = copier(process.getErrorStream(), true);
        Thread waiter = new Thread(() -> {
            try {
                int code = process.waitFor();
                out.join();
                err.join();
                exitCode = code;
                finishedAt = Instant.now();
                input.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                output.end();
            }
        }, "command-exit-" + id);
        waiter.setDaemon(true);
        waiter.start();
    }

    private Thread copier(InputStream in, boolean stderr) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[65536];
            try (in) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    output.append(stderr, buffer, n);
                }
            } catch (IOException closed) {
                // the command is gone
            }
        }, "command-" + (stderr ? "err-" : "out-") + id);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Queues input for the command (never blocks on a command that does not read). */
    public void writeStdin(byte[] data, boolean eof) {
        input.offer(data, eof);
    }

    public String id() {
        return id;
    }

    public String sessionId() {
        return sessionId;
    }

    public String command() {
        return command;
    }

    /** The process group on the host: the command runs in its own session. */
    long hostPid() {
        return process.pid();
    }

    /** The pid inside the sandbox, 0 when it could not be told. */
    public long pid() {
        return pid;
    }

    public CommandOutput output() {
        return output;
    }

    public boolean running() {
        return exitCode == null;
    }

    public Integer exitCode() {
        return exitCode;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant finishedAt() {
        return finishedAt;
    }
}
