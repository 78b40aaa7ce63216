package sh.chaser.session.domain;

import io.grpc.Status;
import sh.chaser.common.api.CatalogCode;

/** session-service's error catalogue: stable code, HTTP status, gRPC status. */
public enum ErrorCode implements CatalogCode {
    INVALID_REQUEST("invalid_request", 400, Status.Code.INVALID_ARGUMENT),
    UNSUPPORTED_FOR_SESSION_TYPE("unsupported_for_session_type", 400, Status.Code.INVALID_ARGUMENT),
    /** One of the account's limits (named in the envelope's {@code limit}) is reached. */
    LIMIT_EXCEEDED("limit_exceeded", 403, Status.Code.RESOURCE_EXHAUSTED),
    SESSION_NOT_FOUND("session_not_found", 404, Status.Code.NOT_FOUND),
    WORKSPACE_NOT_FOUND("workspace_not_found", 404, Status.Code.NOT_FOUND),
    WORKSPACE_NAME_AMBIGUOUS("workspace_name_ambiguous", 409, Status.Code.FAILED_PRECONDITION),
    SESSION_TYPE_MISMATCH("session_type_mismatch", 409, Status.Code.FAILED_PRECONDITION),
    SESSION_HAS_ACTIVE_LEASES("session_has_active_leases", 409, Status.Code.FAILED_PRECONDITION),
    SESSION_NOT_RUNNING("session_not_running", 409, Status.Code.FAILED_PRECONDITION),
    /** A disk operation on the workspace (restore, clone into it, import) has not finished. */
    WORKSPACE_BUSY("workspace_busy", 409, Status.Code.ABORTED),
    /** The workspace is importing or its import failed. */
    WORKSPACE_NOT_READY("workspace_not_ready", 409, Status.Code.FAILED_PRECONDITION),
    NO_CAPACITY("no_capacity", 503, Status.Code.UNAVAILABLE),
    /** The host keeping the workspace's disk is not heard from, or workspace-service cannot be reached. */
    HOST_UNAVAILABLE("host_unavailable", 503, Status.Code.UNAVAILABLE),
    /** The VM did not come up (the session is terminated with reason boot_failed). */
    BOOT_FAILED("boot_failed", 502, Status.Code.UNAVAILABLE),
    INTERNAL("internal_error", 500, Status.Code.INTERNAL);

    private final String code;
    private final int httpStatus;
    private final Status.Code grpcStatus;

    ErrorCode(String code, int httpStatus, Status.Code grpcStatus) {
        this.code = code;
        this.httpStatus = httpStatus;
        this.grpcStatus = grpcStatus;
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public int httpStatus() {
        return httpStatus;
    }

    @Override
    public Status.Code grpcStatus() {
        return grpcStatus;
    }


    /** The entry with this code, or null. */
    public static ErrorCode of(String code) {
        for (ErrorCode c : values()) {
            if (c.code.equals(code)) {
                return c;
            }
        }
        return null;
    }
}
