package sh.chaser.agent.domain;

import io.grpc.Status;

/** The vm-agent's error catalogue: stable code and gRPC status; callers map them to the API's envelope. */
public enum AgentError {
    INVALID_ARGUMENT("invalid_argument", Status.Code.INVALID_ARGUMENT),
    IMAGE_NOT_FOUND("image_not_found", Status.Code.INVALID_ARGUMENT),
    IMAGE_PULL_FAILED("image_pull_failed", Status.Code.UNAVAILABLE),
    SANDBOX_NOT_FOUND("sandbox_not_found", Status.Code.NOT_FOUND),
    SANDBOX_NOT_RUNNING("sandbox_not_running", Status.Code.FAILED_PRECONDITION),
    UNSUPPORTED_RUNTIME("unsupported_runtime", Status.Code.UNIMPLEMENTED),
    DISK_NOT_FOUND("disk_not_found", Status.Code.NOT_FOUND),
    SNAPSHOT_NOT_FOUND("snapshot_not_found", Status.Code.NOT_FOUND),
    DISK_IN_USE("disk_in_use", Status.Code.FAILED_PRECONDITION),
    DISK_NOT_EMPTY("disk_not_empty", Status.Code.FAILED_PRECONDITION),
    GIT_REPOSITORY_NOT_FOUND("git_repository_not_found", Status.Code.NOT_FOUND),
    GIT_REF_NOT_FOUND("git_ref_not_found", Status.Code.NOT_FOUND),
    GIT_UNREACHABLE("git_unreachable", Status.Code.UNAVAILABLE),
    GIT_IMPORT_FAILED("git_import_failed", Status.Code.INTERNAL),
    HOST_FULL("host_full", Status.Code.RESOURCE_EXHAUSTED),
    BOOT_FAILED("boot_failed", Status.Code.INTERNAL),
    RUNTIME_UNAVAILABLE("runtime_unavailable", Status.Code.FAILED_PRECONDITION),
    INTERNAL("internal", Status.Code.INTERNAL);

    private final String code;
    private final Status.Code grpcStatus;

    AgentError(String code, Status.Code grpcStatus) {
        this.code = code;
        this.grpcStatus = grpcStatus;
    }

    public String code() {
        return code;
    }

    public Status.Code grpcStatus() {
        return grpcStatus;
    }

    public AgentException exception(String message) {
        return new AgentException(this, message);
    }
}
