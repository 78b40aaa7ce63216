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
    /** Chromium's remote-debugging port on a browser sandbox's own loopback. */
    public static final int DEVTOOLS_PORT = 9222;

    private DataPlaneContract() {
    }
}
