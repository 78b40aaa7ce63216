package sh.chaser.agent.runtime;

/**
 * Where the host opens a raw TCP connection to a port inside a sandbox: straight to the sandbox's
 * address, or to its guest agent, which is asked first with {@code upgrade} (an HTTP request whose
 * {@code 101} answer turns the connection into the port's; a microVM's loopback is out of the host's
 * reach).
 */
public record TcpTarget(String host, int port, String upgrade) {

    public static TcpTarget direct(String host, int port) {
        return new TcpTarget(host, port, null);
    }
}
