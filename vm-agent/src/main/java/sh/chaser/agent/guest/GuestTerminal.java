package sh.chaser.agent.guest;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A terminal inside a guest ({@code GET /v1/pty}, upgraded to {@code chaser-pty}): frames of one
 * type byte, a 4-byte big-endian length and the payload; to the guest 0 keystrokes and 1 resize,
 * from it 0 what the terminal prints and last 2 the exit status.
 */
public final class GuestTerminal implements AutoCloseable {

    private static final byte DATA = 0;
    private static final byte RESIZE = 1;
    private static final byte EXIT = 2;
    private static final byte HANGUP = 3;
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final InputFeeder input;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    /** The connection to the guest broke: the terminal may well run on (another connection attaches). */
    private volatile boolean broken;
    private final List<byte[]> held = new ArrayList<>();
    private boolean started;
    private Runnable waitingForStart;
    private final String id;
    private final long offset;

    private GuestTerminal(Socket socket, DataInputStream in, boolean holdInput, String id, long offset)
            throws IOException {
        this.id = id;
        this.offset = offset;
        this.socket = socket;
        this.in = in;
        this.out = socket.getOutputStream();
        this.started = !holdInput;
        this.input = new InputFeeder(new OutputStream() {

            @Override
            public void write(int b) throws IOException {
                write(new byte[]{ (byte) b }, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                frame(DATA, java.util.Arrays.copyOfRange(b, off, off + len));
            }

            @Override
            public void close() {
                // the terminal ends when the connection does, not with the input
            }
        }, 1L << 20, "pty-" + socket.getLocalPort());
    }

    /**
     * Opens a terminal running {@code command} (a login shell when null) with {@code env}.
     *
     * @param holdInput keep keystrokes until the command first prints (a shell that turns echo off
     *                  would otherwise echo what arrived before)
     */
    public static GuestTerminal open(GuestClient.Address address, String command, Map<String, String> env, int cols,
            int rows, boolean holdInput) throws IOException {
        return connect(address, "cols=" + cols + "&rows=" + rows + "&env=" + GuestClient.encode(new JsonObject(
                Map.copyOf(env)).encode()) + (command == null ? "" : "&command=" + GuestClient.encode(command)),
                holdInput);
    }

    /**
     * Joins the terminal {@code id} again (its connection dropped within the guest's grace period):
     * what it printed from {@code offset} on comes first (null: from where the last connection stopped).
     */
    public static GuestTerminal attach(GuestClient.Address address, String id, Long offset) throws IOException {
        return connect(address, "attach=" + GuestClient.encode(id) + (offset == null ? "" : "&offset=" + offset),
                false);
    }

    private static GuestTerminal connect(GuestClient.Address address, String query, boolean holdInput)
            throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(address.host(), address.port()), 5_000);
        socket.getOutputStream().write(("GET /v1/pty?" + query + " HTTP/1.1\r\nHost: " + address.host() + "\r\n"
                + "Authorization: Bearer " + address.token() + "\r\nConnection: Upgrade\r\nUpgrade: chaser-pty\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        socket.setSoTimeout(30_000);
        DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(socket.getInputStream()));
        String status = line(in);
        int contentLength = 0;
        String id = "";
        long offset = 0;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            String lower = header.toLowerCase();
            if (lower.startsWith("content-length:")) {
                contentLength = Integer.parseInt(header.substring(15).trim());
            } else if (lower.startsWith("x-chaser-pty-id:")) {
                id = header.substring(16).trim();
            } else if (lower.startsWith("x-chaser-pty-offset:")) {
                offset = Long.parseLong(header.substring(20).trim());
            }
        }
        int code = Integer.parseInt(status.split(" ")[1]);
        if (code != 101) {
            byte[] body = in.readNBytes(Math.min(contentLength, 64 * 1024));
            socket.close();
            throw GuestException.of(code, new String(body, StandardCharsets.UTF_8));
        }
        socket.setSoTimeout(0);
        return new GuestTerminal(socket, in, holdInput, id, offset);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("the guest agent closed the terminal's connection");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    /** The terminal's id in its guest (what a later connection attaches with). */
    public String id() {
        return id;
    }

    /** The output offset this connection's first byte has (0 for a new terminal). */
    public long offset() {
        return offset;
    }

    /** What the terminal prints; ends when the command has ended (its status then in {@link #waitFor}). */
    public InputStream output() {
        return new InputStream() {

            private byte[] current = new byte[0];
            private int position;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                while (position == current.length) {
                    if (!next()) {
                        return -1;
                    }
                }
                int n = Math.min(len, current.length - position);
                System.arraycopy(current, position, b, off, n);
                position += n;
                return n;
            }

            private boolean next() throws IOException {
                try {
                    byte kind = in.readByte();
                    byte[] payload = new byte[in.readInt()];
                    in.readFully(payload);
                    if (kind == EXIT) {
                        exit.complete(new JsonObject(new String(payload, StandardCharsets.UTF_8))
                                .getInteger("exit_code", -1));
                        return false;
                    }
                    if (kind == DATA) {
                        release();
                        current = payload;
                        position = 0;
                    }
                    return true;
                } catch (IOException e) {
                    broken = true;
                    exit.complete(-1);
                    return false;
                }
            }
        };
    }

    private synchronized void release() {
        if (!started) {
            started = true;
            held.forEach(bytes -> input.offer(bytes, false));
            held.clear();
            if (waitingForStart != null) {
                waitingForStart.run();
                waitingForStart = null;
            }
        }
    }

    /** Keystrokes queued and not yet sent to the guest (held ones included). */
    public synchronized long pendingInput() {
        return input.pending() + held.stream().mapToLong(h -> h.length).sum();
    }

    /**
     * Runs {@code then} once when at most {@code bytes} of keystrokes wait (a WebSocket paused at a high
     * mark resumes, so a fast sender is slowed down by the terminal rather than refused).
     */
    public synchronized void whenInputAtMost(long bytes, Runnable then) {
        if (started) {
            input.whenPendingAtMost(bytes, then);
        } else {
            waitingForStart = () -> input.whenPendingAtMost(bytes, then);
        }
    }

    /** Queues keystrokes; refused (and dropped) when 1 MiB waits unsent. */
    public synchronized void type(byte[] bytes) {
        if (started) {
            input.offer(bytes, false);
        } else if (held.stream().mapToLong(h -> h.length).sum() + bytes.length <= 1L << 20) {
            held.add(bytes);
        }
    }

    public void resize(int cols, int rows) {
        if (cols < 1 || rows < 1 || cols > 1000 || rows > 1000) {
            throw sh.chaser.agent.domain.AgentError.INVALID_REQUEST.exception("cols and rows are 1 to 1000");
        }
        try {
            frame(RESIZE,
                    new JsonObject().put("cols", cols).put("rows", rows).encode().getBytes(StandardCharsets.UTF_8));
        } catch (IOException gone) {
            // the terminal has ended; its exit frame tells
        }
    }

    private void frame(byte kind, byte[] payload) throws IOException {
        byte[] frame = new byte[5 + payload.length];
        frame[0] = kind;
        frame[1] = (byte) (payload.length >>> 24);
        frame[2] = (byte) (payload.length >>> 16);
        frame[3] = (byte) (payload.length >>> 8);
        frame[4] = (byte) payload.length;
        System.arraycopy(payload, 0, frame, 5, payload.length);
        synchronized (out) {
            out.write(frame);
            out.flush();
        }
    }

    /** Whether the output ended because the connection to the guest broke, not because the terminal ended. */
    public boolean broken() {
        return broken;
    }

    /** The command's exit status, once what it printed has been read; -1 when the connection broke. */
    public int waitFor() throws InterruptedException {
        try {
            return exit.get();
        } catch (java.util.concurrent.ExecutionException e) {
            return -1;
        }
    }

    public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        try {
            exit.get(timeout, unit);
            return true;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return exit.isDone();
        }
    }

    /**
     * Drops the connection: the guest keeps the terminal for its grace period (another connection
     * may attach), then hangs it up. {@link #hangUp} ends it at once.
     */
    @Override
    public void close() {
        input.close();
        try {
            socket.close();
        } catch (IOException ignored) {
            // closed already
        }
    }

    /** Ends the terminal now: its command gets SIGHUP (exit 129 for a shell), as on a closed window. */
    public void hangUp() {
        try {
            frame(HANGUP, new byte[0]);
        } catch (IOException gone) {
            // ended already
        }
        close();
    }
}
