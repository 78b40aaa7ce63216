package sh.chaser.gateway.ssh;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.client.future.DefaultOpenFuture;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.ChannelAsyncOutputStream;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.server.channel.AbstractServerChannel;
import sh.chaser.proto.account.v1.AuthenticateResponse;

/**
 * {@code ssh -L local:localhost:port ws@host}: a {@code direct-tcpip} channel joined to the session's
 * raw TCP route ({@code tcp/<port>}) in the workspace's sandbox. MINA's own channel dials from the
 * gateway's host, which must never happen; this one only ever reaches the sandbox, and only a port
 * on the sandbox itself. Flow control: the client's bytes are taken (its window released) once
 * written to the WebSocket; the sandbox's wait, the WebSocket paused, while the client's window is full.
 */
final class SandboxTcpChannel extends AbstractServerChannel {

    /** The only destinations: the sandbox's own addresses as a client names them. */
    static final Set<String> SANDBOX_ITSELF = Set.of("localhost", "127.0.0.1", "::1", "[::1]");

    private final SshChannels channels;
    private final AtomicReference<WebSocket> socket = new AtomicReference<>();
    private final java.util.ArrayDeque<byte[]> queued = new java.util.ArrayDeque<>();
    private final java.util.concurrent.atomic.AtomicBoolean eofSent = new java.util.concurrent.atomic.AtomicBoolean();
    private boolean writing;
    private boolean portEnded;
    private volatile boolean portClosing;
    /** The client has the channel's open confirmation: nothing is written to it before. */
    private volatile boolean confirmed;
    private ChannelAsyncOutputStream out;

    SandboxTcpChannel(SshChannels channels) {
        super("", List.of(), null);
        this.channels = channels;
    }

    /** Makes the channel for each {@code direct-tcpip} request. */
    static ChannelFactory factory(SshChannels channels) {
        return new ChannelFactory() {

            @Override
            public String getName() {
                return "direct-tcpip";
            }

            @Override
            public Channel createChannel(Session session) {
                return new SandboxTcpChannel(channels);
            }
        };
    }

    @Override
    protected OpenFuture doInit(org.apache.sshd.common.util.buffer.Buffer request) {
        String host = request.getString();
        int port = request.getInt();
        OpenFuture opened = new DefaultOpenFuture(this, this);
        if (!SANDBOX_ITSELF.contains(host.toLowerCase()) || port < 1 || port > 65535) {
            refuse(opened, SshConstants.SSH_OPEN_ADMINISTRATIVELY_PROHIBITED, "only ports of the sandbox itself"
                    + " (localhost:<port>) are forwarded; not " + host + ":" + port);
            return opened;
        }
        List<AuthenticateResponse> principals = getSession().getAttribute(SshKeyAuthenticator.PRINCIPALS);
        String workspace = getSession().getUsername();
        out = new ChannelAsyncOutputStream(this, SshConstants.SSH_MSG_CHANNEL_DATA);
        Thread opening = new Thread(() -> {
            try {
                channels.openTcp(principals, workspace, port, this::bind);
                signalChannelOpenSuccess();
                opened.setOpened();
                confirmed = true; // what the port sent meanwhile (a banner) follows the client's confirmation
                writeNext();
            } catch (SshRefusal refusal) {
                refuse(opened, SshConstants.SSH_OPEN_CONNECT_FAILED,
                        refusal.getMessage() + " (" + refusal.code() + ")");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                refuse(opened, SshConstants.SSH_OPEN_CONNECT_FAILED, "interrupted");
            }
        }, "ssh-tcp-" + workspace);
        opening.setDaemon(true);
        opening.start();
        return opened;
    }

    private void refuse(OpenFuture opened, int reason, String message) {
        signalChannelOpenFailure(new IOException(message));
        try {
            opened.setException(new SshChannelOpenException(getChannelId(), reason, message));
        } finally {
            close(true);
        }
    }

    /** On the WebSocket's event loop as it opens, before any frame is read. */
    private void bind(WebSocket ws) {
        socket.set(ws);
        ws.binaryMessageHandler(this::toClient);
        // the port's close ends the channel after what it sent before (queued while paused) reached the client
        sh.chaser.relay.WebSocketEnd.onEnd(ws, () -> portClosing = true, this::endOfPort);
        ws.exceptionHandler(e -> close(false));
    }

    /** In order, one write at a time: the WebSocket waits (paused) while the client's window is full. */
    private void toClient(Buffer bytes) {
        synchronized (queued) {
            queued.add(bytes.getBytes());
        }
        if (!portClosing) {
            socket.get().pause();
        }
        writeNext();
    }

    private void writeNext() {
        byte[] next;
        synchronized (queued) {
            if (writing || !confirmed) {
                return;
            }
            next = queued.poll();
            if (next == null) {
                if (portEnded) {
                    eofAndClose();
                } else {
                    socket.get().resume();
                }
                return;
            }
            writing = true;
        }
        try {
            out.writeBuffer(new ByteArrayBuffer(next)).addListener(written -> {
                synchronized (queued) {
                    writing = false;
                }
                if (written.isWritten()) {
                    writeNext();
                } else {
                    close(false);
                }
            });
        } catch (IOException e) {
            close(false);
        }
    }

    /** The port closed: what it sent reaches the client, then its end. */
    private void endOfPort() {
        synchronized (queued) {
            portEnded = true;
        }
        writeNext();
    }

    private void eofAndClose() {
        if (eofSent.compareAndSet(false, true)) {
            try {
                sendEof();
            } catch (IOException ignored) {
                // the client is gone
            }
            close(false);
        }
    }

    @Override
    protected void doWriteData(byte[] data, int off, long len) throws IOException {
        WebSocket ws = socket.get();
        if (ws == null) {
            throw new IOException("the channel is not open");
        }
        ws.writeBinaryMessage(Buffer.buffer(java.util.Arrays.copyOfRange(data, off, off + (int) len)))
                .onComplete(written -> {
                    try {
                        if (getLocalWindow().isOpen()) {
                            getLocalWindow().release(len);
                        }
                    } catch (IOException e) {
                        close(false);
                    }
                });
    }

    @Override
    protected void doWriteExtendedData(byte[] data, int off, long len) throws IOException {
        throw new IOException("a forwarded connection has no extended data");
    }

    /** The client's end of input reaches the port as TCP's (half-close); the port may still answer. */
    @Override
    public void handleEof() throws IOException {
        super.handleEof();
        WebSocket ws = socket.get();
        if (ws != null && !ws.isClosed()) {
            ws.writeTextMessage("{\"type\":\"eof\"}");
        }
    }

    @Override
    public void handleWindowAdjust(org.apache.sshd.common.util.buffer.Buffer buffer) throws IOException {
        super.handleWindowAdjust(buffer);
        if (out != null) {
            out.onWindowExpanded();
        }
    }

    @Override
    protected void preClose() {
        WebSocket ws = socket.get();
        if (ws != null && !ws.isClosed()) {
            ws.close((short) 1000);
        }
        if (out != null) {
            out.close(true);
        }
        super.preClose();
    }
}
