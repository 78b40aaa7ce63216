package sh.chaser.contracts;

/**
 * What the gateway and the vm-agent's data plane agree on: where the agent serves a session's
 * operations, the header that repeats the code of a refusal, and the port a browser sandbox's
 * Chromium serves DevTools on.
 */
public final class DataPlaneContract {

    /** The agent's path prefix of a session's operations: {@code <prefix><session id>/<operation>}. */
    public static final String SESSIONS_PATH = "/internal/v1/sessions/";
    /** The code of the agent's refusal, next to the envelope (the gateway audits some). */
    public static final String ERROR_CODE_HEADER = "X-Chaser-Error-Code";
    /**
     * Who the gateway authenticated for this request, {@code user:<id>} or {@code service_account:<id>},
     * for the host's exec journal (the audit trail). The gateway replaces any a caller sent; the agent
     * takes it only from a caller with the gateway's certificate.
     */
    public static final String ACTOR_HEADER = "X-Chaser-Actor";
    /** Chromium's remote-debugging port on a browser sandbox's own loopback. */
    public static final int DEVTOOLS_PORT = 9222;
    /**
     * The gateway's proof that it authorised this request for this session and operation: an RS256
     * JWT signed with the internal key (audience {@link #SESSION_TOKEN_AUDIENCE}, subject the session
     * id, claim {@link #OPERATION_CLAIM}), valid {@link #SESSION_TOKEN_SECONDS} seconds. The agent
     * serves no session's operation without it, so neither a path trick nor another process on the
     * host network can address a session.
     */
    public static final String SESSION_TOKEN_HEADER = "X-Chaser-Session-Token";
    public static final String SESSION_TOKEN_AUDIENCE = "chaser-vm-agent-data-plane";
    public static final String OPERATION_CLAIM = "op";
    public static final int SESSION_TOKEN_SECONDS = 60;

    /**
     * The session id and operation (the first segment after it: exec, commands, pty, upload,
     * download, files, forward, self-test...) of an agent path, or null when it is not one.
     */
    public static String[] sessionAndOperation(String agentPath) {
        if (!agentPath.startsWith(SESSIONS_PATH)) {
            return null;
        }
        String[] parts = agentPath.substring(SESSIONS_PATH.length()).split("[/?]", 3);
        return parts.length < 2 || parts[0].isEmpty() || parts[1].isEmpty() ? null : new String[]{ parts[0], parts[1] };
    }

    private DataPlaneContract() {}
}
