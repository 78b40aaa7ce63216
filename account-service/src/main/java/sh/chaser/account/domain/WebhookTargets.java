package sh.chaser.account.domain;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import sh.chaser.common.api.ServiceException;

/**
 * Where a webhook may point: {@code https://} to public addresses. Loopback (and {@code http://}
 * to it) only when the installation allows it for development; private, link-local, CGNAT,
 * multicast and unspecified addresses only inside networks an operator allowed. The check runs on
 * create and again before every attempt (a name may resolve differently later), and the attempt
 * connects to the address that passed.
 */
public record WebhookTargets(boolean allowLoopback, List<Cidr> allowedNetworks) {

    private static final Cidr CGNAT = Cidr.parse("100.64.0.0/10");
    private static final Cidr THIS_NETWORK = Cidr.parse("0.0.0.0/8");
    private static final Cidr UNIQUE_LOCAL = Cidr.parse("fc00::/7");
    private static final Cidr BENCHMARKING = Cidr.parse("198.18.0.0/15");

    /** A URL that passed the syntax rules. */
    public record Target(URI uri, String host, int port, boolean tls) {}

    public Target parse(String url) {
        if (url == null || url.isBlank() || url.length() > 2048) {
            throw invalid("url is required (at most 2048 characters)");
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw invalid("url is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        if (!scheme.equals("https") && !(scheme.equals("http") && allowLoopback)) {
            throw invalid("url must use https");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw invalid("url must name a host, without user info or fragment");
        }
        boolean tls = scheme.equals("https");
        int port = uri.getPort() == -1 ? (tls ? 443 : 80) : uri.getPort();
        String host = uri.getHost().startsWith("[")
                ? uri.getHost().substring(1, uri.getHost().length() - 1)
                : uri.getHost();
        return new Target(uri, host, port, tls);
    }

    /** The first address of {@code resolved} the rules accept; refuses when any of them is refused. */
    public InetAddress choose(Target target, List<InetAddress> resolved) {
        if (resolved.isEmpty()) {
            throw invalid("url's host " + target.host() + " does not resolve");
        }
        for (InetAddress a : resolved) {
            InetAddress address = unmapped(a);
            if (address.isLoopbackAddress()) {
                if (!allowLoopback) {
                    throw invalid("url resolves to a loopback address (" + address.getHostAddress()
                            + "); receivers must be reachable on a public address");
                }
            } else if (!target.tls()) {
                throw invalid("url must use https (http is accepted for loopback receivers in development only)");
            } else if (!isPublic(address) && allowedNetworks.stream().noneMatch(n -> n.contains(address))) {
                throw invalid("url resolves to a private or reserved address (" + address.getHostAddress()
                        + "); the platform does not call into its own network");
            }
        }
        return resolved.get(0);
    }

    static boolean isPublic(InetAddress a) {
        return !(a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress() || CGNAT.contains(a) || THIS_NETWORK.contains(a) || UNIQUE_LOCAL.contains(a)
                || BENCHMARKING.contains(a));
    }

    /** ::ffff:10.0.0.1 is 10.0.0.1. */
    private static InetAddress unmapped(InetAddress a) {
        if (a instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && b[10] == (byte) 0xff && b[11] == (byte) 0xff) {
                try {
                    return Inet4Address.getByAddress(new byte[]{ b[12], b[13], b[14], b[15] });
                } catch (UnknownHostException e) {
                    return a;
                }
            }
        }
        return a;
    }

    private static ServiceException invalid(String message) {
        return new ServiceException(ErrorCode.INVALID_REQUEST, message, "url");
    }
}
