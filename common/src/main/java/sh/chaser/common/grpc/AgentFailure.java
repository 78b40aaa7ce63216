package sh.chaser.common.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import sh.chaser.common.api.GrpcRefusals;
import sh.chaser.contracts.ErrorCatalog;
import sh.chaser.proto.errors.v1.ErrorReason;

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
        // the agent puts its code on every refusal, so an answer carrying one came from the agent whatever its
        // status; a failure without one is the transport's (down, deadline, a connection torn down mid-call:
        // INTERNAL or UNKNOWN from gRPC itself) and the call's outcome is unknown
        boolean unreachable = code == null && switch (status) {
            case UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED, INTERNAL, UNKNOWN -> true;
            default -> false;
        };
        return new AgentFailure(code == null ? status.name().toLowerCase() : code,
                e.getStatus().getDescription() == null ? status.name() : e.getStatus().getDescription(), unreachable);
    }

    public String code() {
        return code;
    }

    /** The code as a reason of errors.proto, to switch on; ERROR_REASON_UNSPECIFIED when it is not catalogued. */
    public ErrorReason reason() {
        return ErrorCatalog.byCode(code).map(ErrorCatalog.Entry::reason).orElse(ErrorReason.ERROR_REASON_UNSPECIFIED);
    }

    /**
     * No answer of the agent's (down, deadline, the connection torn down): worth retrying later, the
     * outcome is unknown. An agent's own {@code UNAVAILABLE} answer (e.g. {@code git_unreachable}) is not.
     */
    public boolean unreachable() {
        return unreachable;
    }
}
