package sh.chaser.gateway.application;

/** Where the execs the gateway relayed to a session's host are recorded: the audit trail. */
public interface ExecRecorder {

    /**
     * @param principal {@code user:<id>} or {@code service_account:<id>}
     * @param result    the host's account of the exec ({@code DataPlaneContract.EXEC_RESULT_HEADER})
     */
    void executed(String accountId, String principal, String sessionId, String requestId, String result);
}
