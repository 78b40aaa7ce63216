package sh.chaser.agent.runtime.qemu;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * A conversation with a VM's QEMU on its QMP socket: several commands with arguments, and a file
 * handed over with one ({@code getfd}: SCM_RIGHTS, junixsocket). QEMU runs chrooted in an empty
 * directory as its own uid, so a migration stream goes to or comes from a file the vm-agent opened
 * and passed, never a path QEMU would open itself.
 */
final class QmpSession implements AutoCloseable {

    private final AFUNIXSocket socket;
    private final BufferedReader in;
    private final OutputStream out;

    private QmpSession(AFUNIXSocket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        this.out = socket.getOutputStream();
    }

    /** Connected, greeted and in command mode; every read waits at most {@code timeout}. */
    static QmpSession open(Path qmp, Duration timeout) throws IOException {
        AFUNIXSocket socket = AFUNIXSocket.newInstance();
        try {
            socket.connect(AFUNIXSocketAddress.of(qmp));
            socket.setSoTimeout((int) timeout.toMillis());
            QmpSession session = new QmpSession(socket);
            String greeting = session.in.readLine();
            if (greeting == null || !greeting.contains("\"QMP\"")) {
                throw new IOException("not a QMP greeting: " + greeting);
            }
            session.execute("qmp_capabilities", null);
            return session;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** The command's {@code return}; an {@code error} answer as an IOException with QEMU's description. */
    JsonObject execute(String command, JsonObject arguments) throws IOException {
        return execute(command, arguments, null);
    }

    /** {@code getfd}: QEMU keeps {@code file} under {@code name}, for an {@code fd:name} URI. */
    void passFile(String name, FileDescriptor file) throws IOException {
        execute("getfd", new JsonObject().put("fdname", name), file);
    }

    private JsonObject execute(String command, JsonObject arguments, FileDescriptor file) throws IOException {
        JsonObject request = new JsonObject().put("execute", command);
        if (arguments != null) {
            request.put("arguments", arguments);
        }
        if (file != null) {
            socket.setOutboundFileDescriptors(file);
        }
        out.write((request.encode() + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        try {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                JsonObject answer = new JsonObject(line);
                if (answer.containsKey("return")) {
                    Object value = answer.getValue("return");
                    return value instanceof JsonObject object ? object : new JsonObject();
                }
                if (answer.containsKey("error")) {
                    throw new IOException("QEMU refused " + command + ": "
                            + answer.getJsonObject("error").getString("desc"));
                }
                // an event (STOP, RESUME, MIGRATION ...) before the answer
            }
        } catch (SocketTimeoutException e) {
            throw new IOException("QEMU did not answer " + command + " in time");
        }
        throw new IOException("QMP closed before answering " + command);
    }

    /** Polls {@code query-migrate} until the migration completed; its failure as an IOException. */
    void awaitMigration(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonObject status = execute("query-migrate", null);
            String state = status.getString("status", "none");
            switch (state) {
                case "completed" :
                    return;
                case "failed", "cancelled" :
                    throw new IOException("the migration " + state + ": " + status.encode());
                default :
                    java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
            }
        }
        throw new IOException("the migration did not complete within " + timeout);
    }

    /**
     * Waits while QEMU loads an incoming state ({@code inmigrate}), then lets the VM run: {@code cont}
     * when it stopped after loading, nothing when it already runs.
     */
    void awaitIncoming(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String state = execute("query-status", null).getString("status", "");
            switch (state) {
                case "running" :
                    return;
                case "inmigrate" :
                    java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
                    break;
                case "paused", "postmigrate", "prelaunch" :
                    execute("cont", null);
                    break;
                default :
                    throw new IOException("the VM is " + state + " after loading its state");
            }
        }
        throw new IOException("the saved state was not loaded within " + timeout);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
