package sh.chaser.agent.runtime.qemu;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * The guest agent's control port: a virtio-serial port QEMU serves on a socket in the VM's
 * directory ({@link QemuVm#control}). One JSON line asked, one answered; the answer is bounded, as
 * it comes from the guest.
 */
final class QemuControl {

    private static final int MAX_ANSWER = 64 * 1024;

    private QemuControl() {}

    static String ask(Path socket, String line, Duration timeout) throws IOException {
        try (AFUNIXSocket connection = AFUNIXSocket.newInstance()) {
            connection.connect(AFUNIXSocketAddress.of(socket));
            connection.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            var out = connection.getOutputStream();
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return readLine(connection.getInputStream(), System.nanoTime() + timeout.toNanos());
        }
    }

    private static String readLine(InputStream in, long deadline) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != '\n';) {
            if (b < 0) {
                throw new IOException("the guest's control port closed before an answer");
            }
            if (answer.size() >= MAX_ANSWER || System.nanoTime() > deadline) {
                throw new IOException("no answer line from the guest's control port in time");
            }
            answer.write(b);
        }
        return answer.toString(StandardCharsets.UTF_8);
    }
}
