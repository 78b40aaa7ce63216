package sh.chaser.agent.commands;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;
import sh.chaser.agent.guest.GuestCommands;
import sh.chaser.agent.guest.GuestException;
import sh.chaser.agent.guest.InputFeeder;

/**
 * A command started in the background inside a sandbox by its guest agent. A thread of its own
 * copies what the guest keeps of its output into the host's {@link CommandOutput} (capped, counted
 * against the session's budget, readable by offset from any gateway) until it has ended, then has
 * the guest forget it, so the sandbox keeps no copy of finished commands.
 */
public final class BackgroundCommand {

    private static final Logger LOG = Logger.getLogger(BackgroundCommand.class);
    private final String id;
    private final String sessionId;
    private final String command;
    private final GuestCommands guest;
    private final String guestId;
    private final long pid;
    private final CommandOutput output;
    private final Instant startedAt;
    private volatile Instant finishedAt;
    private volatile Integer exitCode;
    private final InputFeeder input;
    private final java.util.function.Consumer<BackgroundCommand> onEnd;
    private volatile boolean halted;
    private volatile Thread pumping;

    /** @param onEnd called once when the command has ended, before the guest is told to forget it */
    BackgroundCommand(CommandJournal.Entry entry, GuestCommands guest, CommandOutput output,
            java.util.function.Consumer<BackgroundCommand> onEnd) {
        this.id = entry.id();
        this.sessionId = entry.sessionId();
        this.command = entry.command();
        this.guest = guest;
        this.guestId = entry.guestId();
        this.pid = entry.pid();
        this.startedAt = entry.startedAt();
        this.exitCode = entry.exitCode();
        this.finishedAt = entry.finishedAt();
        this.output = output;
        this.onEnd = onEnd;
        this.input = new InputFeeder(new GuestStdin(), 8L << 20, id);
        if (exitCode != null) {
            input.close();
            output.end();
        }
    }

    /** What the journal keeps of it. */
    CommandJournal.Entry entry() {
        return new CommandJournal.Entry(id, sessionId, command, guestId, pid, startedAt, exitCode, finishedAt);
    }

    /**
     * Copies the output from {@code from} (the guest's offset: 0, or the end of what an earlier agent
     * process copied) until it has ended, then records the exit.
     */
    synchronized void pump(long from) {
        halted = false;
        Thread pump = new Thread(() -> {
            long offset = from;
            int failures = 0;
            try {
                while (true) {
                    GuestCommands.Read read;
                    try {
                        read = guest.output(guestId, offset, Duration.ofSeconds(20));
                        failures = 0;
                    } catch (IOException | GuestException e) {
                        if (halted) {
                            return; // this agent process stops: the next one carries on from the file's end
                        }
                        // the sandbox is gone (or its agent): the command ended with it
                        if (++failures >= 3) {
                            LOG.debugf("command %s: its guest stopped answering (%s)", id, e.getMessage());
                            finish(-1);
                            return;
                        }
                        Thread.sleep(200);
                        continue;
                    }
                    for (GuestCommands.Chunk chunk : read.chunks()) {
                        output.append(chunk.stream().equals("stderr"), chunk.data(), chunk.data().length);
                        offset = chunk.offset() + chunk.data().length;
                    }
                    if (read.ended()) {
                        finish(read.exitCode() == null ? -1 : read.exitCode());
                        forgetInGuest();
                        return;
                    }
                }
            } catch (IOException e) {
                if (!halted) {
                    finish(-1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                if (!halted) {
                    output.end();
                }
            }
        }, "command-" + id);
        pump.setDaemon(true);
        pumping = pump;
        pump.start();
    }

    private void finish(int code) {
        if (exitCode == null) {
            exitCode = code;
            finishedAt = Instant.now();
            input.close();
            try {
                onEnd.accept(this);
            } catch (RuntimeException e) {
                LOG.warnf("command %s: its end was not recorded (%s)", id, e.getMessage());
            }
        }
    }

    private void forgetInGuest() {
        try {
            guest.forget(guestId);
        } catch (IOException | GuestException e) {
            LOG.debugf("command %s: the guest did not forget it (%s)", id, e.getMessage());
        }
    }

    /** This agent process stops: the copying stops without recording an end the command has not had. */
    void halt() {
        halted = true;
    }

    /** Whether its output is not being copied (a paused sandbox's, or a command restored but not yet pumped). */
    synchronized boolean suspended() {
        return pumping == null || !pumping.isAlive();
    }

    /**
     * The sandbox pauses: the copying stops now (its call into the guest is interrupted), without an
     * end; {@link #pump} from the output's end carries on after the resume, with nothing read twice.
     */
    void suspend() throws InterruptedException {
        halted = true;
        Thread pump = pumping;
        if (pump != null) {
            pump.interrupt();
            pump.join(10_000);
        }
    }

    /** Queues input for the command (never blocks on a command that does not read). */
    public void writeStdin(byte[] data, boolean eof) {
        input.offer(data, eof);
    }

    void kill(String signal) throws IOException {
        guest.kill(guestId, signal);
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

    /** The pid inside the sandbox. */
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

    /** The command's stdin as a stream: each write is one call to the guest, closing it the end of input. */
    private final class GuestStdin extends OutputStream {

        @Override
        public void write(int b) throws IOException {
            write(new byte[]{ (byte) b }, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            send(java.util.Arrays.copyOfRange(b, off, off + len), false);
        }

        @Override
        public void close() throws IOException {
            send(new byte[0], true);
        }

        private void send(byte[] data, boolean eof) throws IOException {
            try {
                guest.stdin(guestId, data, eof);
            } catch (GuestException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
    }
}
