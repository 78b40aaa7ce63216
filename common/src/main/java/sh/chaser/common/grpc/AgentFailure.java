package sh.chaser.common.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import sh.chaser.common.api.GrpcRefusals;

/** A vm-agent call that failed: the agent's catalogue code, or why the agent could not be reached. */
public class AgentFailure extends RuntimeException {

    private final String code;
    private final boolean unreachable;

    public AgentFailure(String code, String message, boolean unreachable) {
        super(message, null, false, false);
        this.code = code;
        this.unreachable = unreachable;
    }

    /** The agent's code from the chaser-error-code trailer, else the status name in lower case. */
    public static AgentFailure of(StatusRuntimeException e) {
        Status.Code status = e.getStatus().getCode();
        String code = e.getTrailers() == null ? null : e.getTrailers().get(GrpcRefusals.CODE);
        boolean unreachable = status == Status.Code.UNAVAILABLE || status == Status.Code.DEADLINE_EXCEEDED
                || status == Status.Code.CANCELLED;
        return new AgentFailure(code == null ? status.name().toLowerCase() : code,
                e.getStatus().getDescription() == null ? status.name() : e.getStatus().getDescription(), unreachable);
    }

    public String code() {
        return code;
    }

    /** The host did not answer (down, deadline): worth retrying later, the outcome is unknown. */
    public boolean unreachable() {
        return unreachable;
    }
}
