package sh.chaser.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The balancer of {@code --replicas} on real loopback sockets. */
class BalancerTest {

    private final List<ServerSocket> open = new ArrayList<>();

    @AfterEach
    void close() throws IOException {
        for (ServerSocket s : open) {
            s.close();
        }
    }

    /** A backend that reads the whole request (until the client's half-close), then answers "<name>:<request>". */
    private int backend(String name) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        open.add(server);
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    String request = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    s.getOutputStream().write((name + ":" + request).getBytes(StandardCharsets.UTF_8));
                } catch (IOException closed) {
                    // the test is over
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return server.getLocalPort();
    }

    private static int unusedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String ask(int port, String request) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private int balancer(List<Integer> backends) throws IOException {
        ServerSocket server = new BalancerMain().listen(0, backends);
        open.add(server);
        return server.getLocalPort();
    }

    @Test
    void connectionsGoRoundRobinAndBytesPassBothWaysAcrossAHalfClose() throws Exception {
        int port = balancer(List.of(backend("a"), backend("b")));
        assertEquals("a:one", ask(port, "one"));
        assertEquals("b:two", ask(port, "two"));
        assertEquals("a:three", ask(port, "three"));
    }

    @Test
    void anInstanceThatRefusesIsSkipped() throws Exception {
        int port = balancer(List.of(unusedPort(), backend("b")));
        for (int i = 0; i < 4; i++) {
            assertEquals("b:" + i, ask(port, Integer.toString(i)));
        }
    }

    @Test
    void largeBodiesArriveWhole() throws Exception {
        int port = balancer(List.of(backend("a")));
        String big = "x".repeat(3 * 1024 * 1024);
        assertEquals("a:" + big, ask(port, big));
    }

    @Test
    void withNoInstanceTheConnectionIsClosed() throws Exception {
        int port = balancer(List.of(unusedPort()));
        assertEquals("", ask(port, "anyone?"));
    }
}
