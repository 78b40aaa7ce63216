package sh.chaser.session.grpc;

/** A vm-agent call that failed: the agent's catalogue code, or why the agent could not be reached. */
public class AgentFailure extends RuntimeException {

    private final String code;
    private final boolean unreachable;

    public AgentFailure(String code, String message, boolean unreachable) {
        super(message, null, false, false);
        this.code = code;
        this.unreachable = unreachable;
    }

    public String code() {
        return code;
    }

    /** True when the agent did not answer (down, deadline): the outcome of the call is unknown. */
    public boolean unreachable() {
        return unreachable;
    }
}
