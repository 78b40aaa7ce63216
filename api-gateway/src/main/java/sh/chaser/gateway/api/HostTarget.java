package sh.chaser.gateway.api;

import java.util.function.Supplier;
import sh.chaser.gateway.domain.Route;
import sh.chaser.proto.account.v1.AuthenticateResponse;
import sh.chaser.proto.session.v1.LocateSessionResponse;

/**
 * Where a data-plane request goes: the session as located, the path on its vm-agent, the route and
 * caller (for audit), and for DevTools answers the public base their URLs are rewritten to.
 */
record HostTarget(LocateSessionResponse session, String uri, Route route, AuthenticateResponse principal,
        String publicBase, Supplier<String> tokenQuery) {

    HostTarget withUri(String other) {
        return new HostTarget(session, other, route, principal, publicBase, tokenQuery);
    }

    String host() {
        String address = session.getHostGrpcAddress();
        return address.substring(0, address.lastIndexOf(':'));
    }

    int port() {
        String address = session.getHostGrpcAddress();
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }
}
