package sh.chaser.gateway.ssh;

import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.Signal;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.jboss.logging.Logger;
import sh.chaser.proto.account.v1.AuthenticateResponse;

/**
 * {@code ssh <workspace>@host} (a login shell) or {@code ssh <workspace>@host CMD} (the command, its
 * exit status the channel's): the workspace's sandbox is booted or reused and the channel joined to
 * a terminal in it. Without a client terminal a command runs with echo and CR-LF translation off,
 * and the client's end of input is the terminal's (Ctrl-D); stdout and stderr arrive as one stream.
 */
final class WorkspaceCommand implements Command {

    private static final Logger LOG = Logger.getLogger(WorkspaceCommand.class);
    /** The sftp subsystem (what scp uses too): the image's sftp-server on a raw terminal. */
    static final String SFTP = "stty raw -echo 2>/dev/null; for s in /usr/lib/openssh/sftp-server"
            + " /usr/libexec/sftp-server /usr/lib/ssh/sftp-server /usr/libexec/openssh/sftp-server; do"
            + " [ -x \"$s\" ] && printf '\\036' && exec \"$s\"; done;"
            + " echo 'chaser: this sandbox image has no sftp-server (openssh-sftp-server)' >&2; exit 127";

    private final SshChannels channels;
    private final String command;
    private final boolean subsystem;
    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;
    private volatile TerminalChannel terminal;
    private volatile Thread worker;

    /** @param command null for a shell */
    WorkspaceCommand(SshChannels channels, String command) {
        this(channels, command, false);
    }

    /** @param subsystem {@code command} is a subsystem's server: raw both ways, it prints the ready marker */
    WorkspaceCommand(SshChannels channels, String command, boolean subsystem) {
        this.channels = channels;
        this.command = command;
        this.subsystem = subsystem;
    }

    @Override
    public void start(ChannelSession channel, Environment env) {
        List<AuthenticateResponse> principals = channel.getSession().getAttribute(SshKeyAuthenticator.PRINCIPALS);
        String user = channel.getSession().getUsername();
        boolean tty = !env.getPtyModes().isEmpty();
        int cols = number(env.getEnv().get(Environment.ENV_COLUMNS), 80);
        int rows = number(env.getEnv().get(Environment.ENV_LINES), 24);
        env.addSignalListener((ch, signal) -> {
            TerminalChannel t = terminal;
            if (t != null) {
                t.resize(number(env.getEnv().get(Environment.ENV_COLUMNS), cols),
                        number(env.getEnv().get(Environment.ENV_LINES), rows));
            }
        }, Signal.WINCH);
        worker = new Thread(() -> run(principals, user, tty, cols, rows), "ssh-" + user);
        worker.setDaemon(true);
        worker.start();
    }

    private void run(List<AuthenticateResponse> principals, String user, boolean tty, int cols, int rows) {
        try {
            String mode = command == null ? "human" : "exec";
            boolean plain = command != null && !tty && !subsystem;
            // echo and CR-LF off before the command, then a marker, so no input is echoed and output is raw
            String line = plain ? "stty -echo -onlcr 2>/dev/null; printf '\\036'; " + command : command;
            terminal = channels.open(principals, user, mode, line, cols, rows, out, exit, plain || subsystem);
            byte[] last = { '\n' };
            terminal.pumpInput(new LastByte(in, last), () -> endOfInput(tty, last[0]));
        } catch (SshRefusal refusal) {
            refuse(refusal.getMessage() + " (" + refusal.code() + ")");
        } catch (IOException e) {
            LOG.debugf("ssh %s: %s", user, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A command without a terminal reads the client's end of input as the terminal's EOF (Ctrl-D); a
     * subsystem's server is ended.
     */
    private void endOfInput(boolean tty, byte last) {
        if (subsystem) {
            // sftp-server reads a raw terminal, where there is no end of input: the client is done with it
            terminal.finish();
            return;
        }
        if (tty || command == null) {
            return;
        }
        try {
            terminal.send(Buffer.buffer(last == '\n' ? "\u0004" : "\u0004\u0004"));
        } catch (IOException e) {
            LOG.debugf("ssh: end of input not sent (%s)", e.getMessage());
        }
    }

    private void refuse(String message) {
        try {
            err.write(("chaser: " + message + "\r\n").getBytes(StandardCharsets.UTF_8));
            err.flush();
        } catch (IOException ignored) {
            // the client is gone
        }
        exit.onExit(1, message);
    }

    @Override
    public void destroy(ChannelSession channel) {
        TerminalChannel t = terminal;
        if (t != null) {
            t.close();
        }
        Thread w = worker;
        if (w != null) {
            w.interrupt();
        }
    }

    @Override
    public void setInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
        this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
        this.exit = callback;
    }

    private static int number(String value, int fallback) {
        try {
            int n = Integer.parseInt(value);
            return n > 0 && n < 10_000 ? n : fallback;
        } catch (RuntimeException e) {
            return fallback;
        }
    }

    /** Remembers the last byte read, to end a partial line before the EOF. */
    private static final class LastByte extends java.io.FilterInputStream {

        private final byte[] last;

        LastByte(InputStream in, byte[] last) {
            super(in);
            this.last = last;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                last[0] = b[off + n - 1];
            }
            return n;
        }
    }
}
