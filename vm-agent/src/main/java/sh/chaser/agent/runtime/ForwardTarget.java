package sh.chaser.agent.runtime;

import java.util.Map;

/**
 * Where the host sends a forwarded request for a port inside a sandbox: straight to the sandbox's
 * address (a namespace sandbox's loopback listeners answer there too), or to its guest agent's
 * proxy, which dials the port on the guest's loopback (a microVM's loopback is out of the host's
 * reach). {@code pathPrefix} goes in front of the request's path; {@code headers} are added.
 */
public record ForwardTarget(String host, int port, String pathPrefix, Map<String, String> headers) {

    public static ForwardTarget direct(String host, int port) {
        return new ForwardTarget(host, port, "", Map.of());
    }
}
