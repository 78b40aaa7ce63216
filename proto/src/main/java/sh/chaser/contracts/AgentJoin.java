package sh.chaser.contracts;

/**
 * How a vm-agent gets its certificate: {@code POST} {@value #PATH} on session-service's join port
 * (TLS with session-service's certificate; the agent has none yet) with a JSON body of
 * {@value #HOST_ID}, {@value #CSR} (PKCS#10, PEM), {@value #JOIN_TOKEN} (the installation's, which
 * the operator hands out) and, for a host id already registered, {@value #HOST_CREDENTIAL} (the
 * credential its first registration issued); optionally {@value #ADDRESS}, the IP other processes
 * dial it at. The answer's {@value #CERTIFICATE} is the chain (its certificate, named
 * {@code vm-agent/<host id>} whatever the request asked, then the agent issuer's); errors are the
 * API's envelope (400 invalid_request, 401 unauthorized, 403 forbidden).
 */
public final class AgentJoin {

    public static final String PATH = "/v1/join";
    public static final String HOST_ID = "host_id";
    public static final String CSR = "csr";
    public static final String JOIN_TOKEN = "join_token";
    public static final String HOST_CREDENTIAL = "host_credential";
    public static final String ADDRESS = "address";
    public static final String CERTIFICATE = "certificate";

    /**
     * The common name of the CA session-service signs agents' certificates with. A certificate it
     * issued names a vm-agent or nothing: servers take no other identity from it
     * ({@link InternalCallers#identityOf}), so the key session-service holds mints no service.
     */
    public static final String ISSUER_NAME = "Chaser agent issuer";

    /** A host id: what a certificate's name, a cgroup and a file name can all hold. */
    public static final String HOST_ID_PATTERN = "[A-Za-z0-9._-]{1,63}";

    private AgentJoin() {}
}
