package sh.chaser.workspace.grpc;

/** A vm-agent refused or failed a disk call; {@link #code} is its catalogue code. */
public class AgentFailure extends RuntimeException {

    private final String code;
    private final boolean unreachable;

    AgentFailure(String code, String message, boolean unreachable) {
        super(message, null, false, false);
        this.code = code;
        this.unreachable = unreachable;
    }

    public String code() {
        return code;
    }

    /** The host did not answer (down, deadline): worth retrying later, the state is unknown. */
    public boolean unreachable() {
        return unreachable;
    }
}
