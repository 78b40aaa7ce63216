package sh.chaser.testhost;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A host on a network of its own, made by the test on this machine: a network namespace behind a
 * veth pair (this host's side {@code <prefix>.1}, the neighbour {@code <prefix>.2}/24) with a bare
 * TCP listener on {@link #PORT}. Traffic to it never leaves the machine. Needs root.
 */
public final class NeighbourHost implements AutoCloseable {

    public static final int PORT = 8651;
    private final String name;
    private final String prefix;
    private final Process server;

    /** @param name at most 10 characters (interface names are {@code <name>-h} and {@code <name>-n}) */
    public NeighbourHost(String name, String prefix) throws Exception {
        this.name = name;
        this.prefix = prefix;
        remove();
        sh("ip netns add " + name);
        sh("ip link add " + name + "-h type veth peer name " + name + "-n");
        sh("ip link set " + name + "-n netns " + name);
        sh("ip addr add " + prefix + ".1/24 dev " + name + "-h && ip link set " + name + "-h up");
        sh("ip netns exec " + name + " sh -c 'ip addr add " + prefix + ".2/24 dev " + name + "-n && ip link set "
                + name + "-n up && ip link set lo up && ip route add default via " + prefix + ".1'");
        // a bare listener (http.server looks its own name up first, and this namespace has no DNS)
        server = new ProcessBuilder("ip", "netns", "exec", name, "python3", "-c", "import socket\n"
                + "s = socket.create_server(('" + address() + "', " + PORT + "))\n"
                + "while True:\n    s.accept()[0].close()\n")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (!serving()) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the neighbour " + name + " does not serve " + address() + ":" + PORT);
            }
            Thread.sleep(50);
        }
    }

    public String address() {
        return prefix + ".2";
    }

    /** Whether this host reaches the neighbour's listener (the positive control of a reachability test). */
    public boolean serving() {
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress(address(), PORT), 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    @Override
    public void close() throws Exception {
        if (server != null) {
            server.destroyForcibly().waitFor();
        }
        remove();
    }

    private void remove() throws Exception {
        new ProcessBuilder("sh", "-c",
                "ip link del " + name + "-h 2>/dev/null; ip netns del " + name + " 2>/dev/null; true")
                .start().waitFor();
    }

    private static void sh(String command) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(command + ": " + output);
        }
    }
}
