package sh.chaser.common.security;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sh.chaser.contracts.InternalToken;

/**
 * What an account may hold at once, how long its sessions may sit idle (0: forever) and what the idle
 * timeout does to them ({@link #TERMINATE} or {@link #PAUSE}), as the gateway's internal token carries
 * it (claim {@code chaser_limits}). The services check their own counts against it; account-service
 * decides it.
 */
public record AccountLimits(int concurrentSessions, int workspaces, long workspaceStorageBytes,
        long accountStorageBytes, long idleTimeoutSeconds, String idleAction) {

    public static final String CONCURRENT_SESSIONS = InternalToken.LIMIT_CONCURRENT_SESSIONS;
    public static final String WORKSPACES = InternalToken.LIMIT_WORKSPACES;
    public static final String WORKSPACE_STORAGE_BYTES = InternalToken.LIMIT_WORKSPACE_STORAGE_BYTES;
    public static final String ACCOUNT_STORAGE_BYTES = InternalToken.LIMIT_ACCOUNT_STORAGE_BYTES;
    public static final String IDLE_TIMEOUT_SECONDS = InternalToken.LIMIT_IDLE_TIMEOUT_SECONDS;
    public static final String IDLE_ACTION = InternalToken.LIMIT_IDLE_ACTION;
    /** The idle timeout ends the session (the default). */
    public static final String TERMINATE = "terminate";
    /** The idle timeout pauses a session that can be paused (a microVM); it ends any other. */
    public static final String PAUSE = "pause";
    public static final List<String> IDLE_ACTIONS = List.of(TERMINATE, PAUSE);

    /** The installation defaults shipped with Chaser (account-service's configuration may change them). */
    public static final AccountLimits DEFAULTS = new AccountLimits(20, 100, 10L << 30, 25L << 30, 0);

    public AccountLimits {
        idleAction = PAUSE.equals(idleAction) ? PAUSE : TERMINATE;
    }

    /** Limits whose idle timeout terminates. */
    public AccountLimits(int concurrentSessions, int workspaces, long workspaceStorageBytes, long accountStorageBytes,
            long idleTimeoutSeconds) {
        this(concurrentSessions, workspaces, workspaceStorageBytes, accountStorageBytes, idleTimeoutSeconds,
                TERMINATE);
    }

    /** The claim's value; fields it lacks take {@link #DEFAULTS}. */
    public static AccountLimits fromClaim(Object claim) {
        if (claim instanceof JsonObject o) {
            return new AccountLimits(
                    (int) number(o, CONCURRENT_SESSIONS, DEFAULTS.concurrentSessions),
                    (int) number(o, WORKSPACES, DEFAULTS.workspaces),
                    number(o, WORKSPACE_STORAGE_BYTES, DEFAULTS.workspaceStorageBytes),
                    number(o, ACCOUNT_STORAGE_BYTES, DEFAULTS.accountStorageBytes),
                    number(o, IDLE_TIMEOUT_SECONDS, DEFAULTS.idleTimeoutSeconds),
                    o.get(IDLE_ACTION) instanceof JsonString s ? s.getString() : TERMINATE);
        }
        if (claim instanceof Map<?, ?> m) {
            return new AccountLimits(
                    (int) number(m.get(CONCURRENT_SESSIONS), DEFAULTS.concurrentSessions),
                    (int) number(m.get(WORKSPACES), DEFAULTS.workspaces),
                    number(m.get(WORKSPACE_STORAGE_BYTES), DEFAULTS.workspaceStorageBytes),
                    number(m.get(ACCOUNT_STORAGE_BYTES), DEFAULTS.accountStorageBytes),
                    number(m.get(IDLE_TIMEOUT_SECONDS), DEFAULTS.idleTimeoutSeconds),
                    String.valueOf(m.get(IDLE_ACTION)));
        }
        return DEFAULTS;
    }

    public Map<String, Object> toClaim() {
        Map<String, Object> claim = new LinkedHashMap<>();
        claim.put(CONCURRENT_SESSIONS, concurrentSessions);
        claim.put(WORKSPACES, workspaces);
        claim.put(WORKSPACE_STORAGE_BYTES, workspaceStorageBytes);
        claim.put(ACCOUNT_STORAGE_BYTES, accountStorageBytes);
        claim.put(IDLE_TIMEOUT_SECONDS, idleTimeoutSeconds);
        claim.put(IDLE_ACTION, idleAction);
        return claim;
    }

    private static long number(JsonObject o, String name, long fallback) {
        return o.get(name) instanceof JsonNumber n ? n.longValue() : fallback;
    }

    private static long number(Object value, long fallback) {
        return value instanceof Number n ? n.longValue() : fallback;
    }
}
