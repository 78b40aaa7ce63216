package sh.chaser.agent.runtime.qemu;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * QEMU's machine protocol on a VM's QMP socket: one command after the capabilities handshake,
 * its answer's first line. A VM is asked to stop (quit) before it is killed, and asked what it is
 * doing (query-status).
 */
final class Qmp {

    private Qmp() {}

    /** QEMU's answer to {@code execute} (one line of JSON), or an exception when nothing answers. */
    static String execute(Path socket, String command, Duration timeout) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        // a QEMU that stopped answering must not hold the caller: the channel is closed at the deadline
        var deadline = CompletableFuture.runAsync(() -> close(channel),
                CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS));
        try (channel) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            var in = new BufferedReader(
                    new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
            expect(in.readLine(), "\"QMP\"");
            send(channel, "{\"execute\":\"qmp_capabilities\"}");
            expect(in.readLine(), "\"return\"");
            send(channel, "{\"execute\":\"" + command + "\"}");
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.contains("\"return\"") || line.contains("\"error\"")) {
                    return line;
                }
                // events (SHUTDOWN, ...) may come first
            }
            throw new IOException("QMP closed before answering " + command);
        } catch (AsynchronousCloseException e) {
            throw new IOException("QMP did not answer " + command + " within " + timeout);
        } finally {
            deadline.cancel(false);
        }
    }

    private static void close(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing is all that is wanted
        }
    }

    private static void send(SocketChannel channel, String json) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap((json + "\n").getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    private static void expect(String line, String marker) throws IOException {
        if (line == null || !line.contains(marker)) {
            throw new IOException("not a QMP answer: " + line);
        }
    }
}
