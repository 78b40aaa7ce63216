package sh.chaser.agent.runtime.microvm;

import java.util.Map;
import sh.chaser.agent.guest.GuestClient;
import sh.chaser.agent.runtime.ForwardTarget;
import sh.chaser.agent.runtime.TcpTarget;

/** How the host reaches a port inside a VM: always through the guest agent, never the VM's address itself. */
final class GuestTargets {

    private GuestTargets() {}

    /** Through the guest agent's proxy: a server on the guest's loopback answers too, not only one on the VM's address. */
    static ForwardTarget forward(GuestClient.Address guest, int port) {
        return new ForwardTarget(guest.host(), guest.port(), "/v1/proxy/" + port,
                Map.of("X-Chaser-Guest-Token", guest.token()));
    }

    /** A raw TCP connection to {@code port} on the guest's loopback: the guest agent's {@code forward} upgrade. */
    static TcpTarget tcp(GuestClient.Address guest, int port) {
        return new TcpTarget(guest.host(), guest.port(), "GET /v1/forward?port=" + port
                + " HTTP/1.1\r\nHost: " + guest.host() + "\r\nAuthorization: Bearer " + guest.token()
                + "\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n");
    }
}
