package sh.chaser.contracts;

/**
 * The internal JWT the gateway signs for every request it forwards, and the only credential a
 * service accepts on {@code /v1}: RS256, short-lived, issued by {@link #ISSUER} for
 * {@link #AUDIENCE}. {@code sub} is the principal id; {@code groups} holds the caller's role.
 */
public final class InternalToken {

    public static final String ISSUER = "chaser-gateway";
    public static final String AUDIENCE = "chaser-internal";

    /**
     * {@code user} or {@code service_account}; {@code gateway} for the gateway's own calls to
     * service gRPC APIs (subject {@link #GATEWAY_SUBJECT}), sent as {@code authorization} metadata.
     */
    public static final String PRINCIPAL_TYPE = "chaser_principal_type";
    public static final String GATEWAY = "gateway";
    public static final String GATEWAY_SUBJECT = "api-gateway";
    /** The account the request acts in (UUID). */
    public static final String ACCOUNT = "chaser_account";
    /** {@code owner}, {@code admin} or {@code member}. */
    public static final String ROLE = "chaser_role";
    /** The scopes of the key; empty with {@link #FULL_ACCESS} true for unscoped keys and JWTs. */
    public static final String SCOPES = "chaser_scopes";
    public static final String FULL_ACCESS = "chaser_full_access";
    /**
     * The account's limits, an object with {@code concurrent_sessions}, {@code workspaces},
     * {@code workspace_storage_bytes}, {@code account_storage_bytes}, {@code idle_timeout_seconds} and {@code idle_action};
     * the services enforce them.
     */
    public static final String LIMITS = "chaser_limits";
    /** Fields of {@link #LIMITS}; also the names a {@code limit_exceeded} refusal gives. */
    public static final String LIMIT_CONCURRENT_SESSIONS = "concurrent_sessions";
    public static final String LIMIT_WORKSPACES = "workspaces";
    public static final String LIMIT_WORKSPACE_STORAGE_BYTES = "workspace_storage_bytes";
    public static final String LIMIT_ACCOUNT_STORAGE_BYTES = "account_storage_bytes";
    /** Not a limit refusals name: how long a session may sit idle (0: forever). */
    public static final String LIMIT_IDLE_TIMEOUT_SECONDS = "idle_timeout_seconds";
    /** Not a limit refusals name: what the idle timeout does to a session, {@code terminate} or {@code pause}. */
    public static final String LIMIT_IDLE_ACTION = "idle_action";
    /** The API key used, absent for access tokens. */
    public static final String KEY = "chaser_key";

    private InternalToken() {}
}
