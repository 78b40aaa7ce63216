package sh.chaser.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP load balancer on loopback, as a Kubernetes Service is to a Deployment's pods: each
 * connection to a service's port goes to the next of its instances that accepts, round robin, and
 * bytes are copied both ways until either side closes. An instance that refuses (stopped,
 * restarting) is skipped, so the others carry on. Run by {@code ./chaser up --replicas N}.
 *
 * <p>Arguments: {@code <listen port>=<instance port>,<instance port>...} per service.
 */
public final class BalancerMain {

    private static final int CONNECT_TIMEOUT_MS = 1000;

    private final ExecutorService pumps = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "balancer-pump");
        t.setDaemon(true);
        return t;
    });

    public static void main(String[] args) throws Exception {
        BalancerMain balancer = new BalancerMain();
        for (String arg : args) {
            String[] parts = arg.split("=");
            List<Integer> backends = new ArrayList<>();
            for (String b : parts[1].split(",")) {
                backends.add(Integer.parseInt(b));
            }
            balancer.listen(Integer.parseInt(parts[0]), backends);
            System.out.printf("balancer: 127.0.0.1:%s -> %s%n", parts[0], backends);
        }
        Thread.currentThread().join();
    }

    /** Balances connections to {@code port} over {@code backends} until the returned socket is closed. */
    ServerSocket listen(int port, List<Integer> backends) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        Thread t = new Thread(() -> accept(server, backends), "balancer-" + server.getLocalPort());
        t.setDaemon(true);
        t.start();
        return server;
    }

    private void accept(ServerSocket server, List<Integer> backends) {
        AtomicInteger next = new AtomicInteger();
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                int first = Math.floorMod(next.getAndIncrement(), backends.size());
                pumps.execute(() -> connect(client, backends, first));
            } catch (IOException e) {
                if (!server.isClosed()) {
                    System.err.println("balancer: accept on " + server.getLocalPort() + " failed: " + e);
                }
            }
        }
    }

    private void connect(Socket client, List<Integer> backends, int first) {
        for (int i = 0; i < backends.size(); i++) {
            int port = backends.get((first + i) % backends.size());
            Socket backend = new Socket();
            try {
                backend.setTcpNoDelay(true);
                backend.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), CONNECT_TIMEOUT_MS);
                client.setTcpNoDelay(true);
                AtomicInteger open = new AtomicInteger(2);
                pumps.execute(() -> pump(client, backend, open));
                pump(backend, client, open);
                return;
            } catch (IOException refused) {
                closeQuietly(backend);
            }
        }
        System.err.println("balancer: no instance of " + backends + " accepts; connection closed");
        closeQuietly(client);
    }

    /**
     * Copies {@code from} to {@code to}; at its end half-closes {@code to}, and the second direction
     * to end closes both sockets. An error closes both at once.
     */
    private static void pump(Socket from, Socket to, AtomicInteger open) {
        byte[] buffer = new byte[64 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
            to.shutdownOutput();
            if (open.decrementAndGet() == 0) {
                closeQuietly(from);
                closeQuietly(to);
            }
        } catch (IOException e) {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    /** Whether something accepts TCP connections on the loopback port. */
    static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), CONNECT_TIMEOUT_MS);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
