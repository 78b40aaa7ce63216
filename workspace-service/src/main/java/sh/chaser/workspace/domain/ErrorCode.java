package sh.chaser.workspace.domain;

import io.grpc.Status;
import sh.chaser.common.api.CatalogCode;

/** workspace-service's error catalogue: stable code, HTTP status, gRPC status. */
public enum ErrorCode implements CatalogCode {
    INVALID_REQUEST("invalid_request", 400, Status.Code.INVALID_ARGUMENT),
    LIMIT_EXCEEDED("limit_exceeded", 403, Status.Code.RESOURCE_EXHAUSTED),
    WORKSPACE_NOT_FOUND("workspace_not_found", 404, Status.Code.NOT_FOUND),
    SNAPSHOT_NOT_FOUND("snapshot_not_found", 404, Status.Code.NOT_FOUND),
    GIT_REPOSITORY_NOT_FOUND("git_repository_not_found", 404, Status.Code.NOT_FOUND),
    WORKSPACE_NAME_TAKEN("workspace_name_taken", 409, Status.Code.ALREADY_EXISTS),
    WORKSPACE_NAME_AMBIGUOUS("workspace_name_ambiguous", 409, Status.Code.FAILED_PRECONDITION),
    WORKSPACE_IN_USE("workspace_in_use", 409, Status.Code.FAILED_PRECONDITION),
    /** Another disk operation (clone into it, import, restore, delete) has not finished yet. */
    WORKSPACE_BUSY("workspace_busy", 409, Status.Code.ABORTED),
    /** Importing or failed: no session, clone or snapshot until it is ready. */
    WORKSPACE_NOT_READY("workspace_not_ready", 409, Status.Code.FAILED_PRECONDITION),
    SESSION_TYPE_MISMATCH("session_type_mismatch", 409, Status.Code.FAILED_PRECONDITION),
    SNAPSHOT_NAME_TAKEN("snapshot_name_taken", 409, Status.Code.ALREADY_EXISTS),
    NO_CAPACITY("no_capacity", 503, Status.Code.UNAVAILABLE),
    HOST_UNAVAILABLE("host_unavailable", 503, Status.Code.UNAVAILABLE),
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

}
