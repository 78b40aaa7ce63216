package sh.chaser.contracts;

import io.vertx.core.http.HttpServerRequest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Who may call what on the internal plane. Every process has a certificate of the installation's
 * internal CA whose common name is its identity ({@code api-gateway}, {@code session-service}, ...;
 * a vm-agent's is {@code vm-agent/<host id>}); each gRPC method lists the identities that call it.
 * A method of a Chaser service not listed here is refused to everyone.
 */
public final class InternalCallers {

    public static final String GATEWAY = "api-gateway";
    public static final String ACCOUNT = "account-service";
    public static final String SESSION = "session-service";
    public static final String WORKSPACE = "workspace-service";
    public static final String AGENT = "vm-agent";

    /** By gRPC service, or by full method name where one method differs from its service. */
    private static final Map<String, Set<String>> CALLERS = Map.of(
            "chaser.vmagent.v1.VmAgent", Set.of(SESSION),
            // a forced workspace operation ends the session holding it
            "chaser.vmagent.v1.VmAgent/Destroy", Set.of(SESSION, WORKSPACE),
            "chaser.vmagent.v1.Disks", Set.of(WORKSPACE),
            "chaser.session.v1.HostRegistry", Set.of(AGENT),
            "chaser.session.v1.SessionLocator", Set.of(GATEWAY),
            "chaser.session.v1.SessionLeases", Set.of(GATEWAY),
            "chaser.workspace.v1.WorkspaceLock", Set.of(SESSION),
            "chaser.account.v1.AccountAuth", Set.of(GATEWAY),
            // jobs: the principal a job acts as, re-checked before each attempt
            "chaser.account.v1.Principals", Set.of(SESSION),
            "chaser.account.v1.IdempotencyRecords", Set.of(GATEWAY));

    private InternalCallers() {}

    /** Whether {@code identity} (a certificate's, see {@link #identityOf}) may call {@code fullMethodName}. */
    public static boolean allowed(String fullMethodName, String identity) {
        if (!fullMethodName.startsWith("chaser.")) {
            return true; // gRPC's own services (health): any holder of an installation certificate
        }
        Set<String> callers = CALLERS.get(fullMethodName);
        if (callers == null) {
            callers = CALLERS.getOrDefault(fullMethodName.substring(0, fullMethodName.indexOf('/')), Set.of());
        }
        return callers.contains(kind(identity));
    }

    /** {@code vm-agent/<host id>} is of kind {@code vm-agent}; a service's identity is its own kind. */
    public static String kind(String identity) {
        int slash = identity.indexOf('/');
        return slash < 0 ? identity : identity.substring(0, slash);
    }

    /** The host id a vm-agent's identity names, if it is one. */
    public static Optional<String> hostId(String identity) {
        return kind(identity).equals(AGENT) && identity.contains("/")
                ? Optional.of(identity.substring(identity.indexOf('/') + 1))
                : Optional.empty();
    }

    /**
     * For an HTTP route only the gateway calls: who called it when that is not the gateway
     * ({@code anonymous} without a certificate), empty when it is. gRPC passes through the same
     * router but is checked per method, so it is empty for gRPC too.
     */
    public static Optional<String> notTheGateway(HttpServerRequest request) {
        String type = request.getHeader("Content-Type");
        if (type != null && type.startsWith("application/grpc")) {
            return Optional.empty();
        }
        String identity = (request.isSSL() ? identityOf(request.connection().sslSession()) : Optional.<String>empty())
                .orElse("anonymous");
        return identity.equals(GATEWAY) ? Optional.empty() : Optional.of(identity);
    }

    /** The identity of a TLS connection's verified client certificate (its common name), if it has one. */
    public static Optional<String> identityOf(SSLSession session) {
        if (session == null) {
            return Optional.empty();
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
                return Optional.empty();
            }
            // what the agent issuer (session-service's key) signed names a vm-agent or no one
            boolean byAgentIssuer = commonName(leaf.getIssuerX500Principal().getName())
                    .filter(AgentJoin.ISSUER_NAME::equals).isPresent();
            return commonName(leaf).filter(name -> !byAgentIssuer || hostId(name).isPresent());
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }

    public static Optional<String> commonName(X509Certificate certificate) {
        return commonName(certificate.getSubjectX500Principal().getName());
    }

    private static Optional<String> commonName(String distinguishedName) {
        try {
            for (Rdn rdn : new LdapName(distinguishedName).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return Optional.of(rdn.getValue().toString());
                }
            }
            return Optional.empty();
        } catch (InvalidNameException e) {
            return Optional.empty();
        }
    }
}
