package sh.chaser.agent.domain;

import io.grpc.Status;

/**
 * The vm-agent's error catalogue: stable code, gRPC status, and the HTTP status its data plane
 * answers with (the gateway passes those answers through in the API's envelope).
 */
public enum AgentError {
    INVALID_ARGUMENT("invalid_argument", Status.Code.INVALID_ARGUMENT, 400),
    UNAUTHENTICATED("unauthenticated", Status.Code.UNAUTHENTICATED, 401),
    IMAGE_NOT_FOUND("image_not_found", Status.Code.INVALID_ARGUMENT, 400),
    IMAGE_PULL_FAILED("image_pull_failed", Status.Code.UNAVAILABLE, 502),
    SANDBOX_NOT_FOUND("sandbox_not_found", Status.Code.NOT_FOUND, 404),
    SANDBOX_NOT_RUNNING("sandbox_not_running", Status.Code.FAILED_PRECONDITION, 409),
    UNSUPPORTED_RUNTIME("unsupported_runtime", Status.Code.UNIMPLEMENTED, 501),
    DISK_NOT_FOUND("disk_not_found", Status.Code.NOT_FOUND, 404),
    SNAPSHOT_NOT_FOUND("snapshot_not_found", Status.Code.NOT_FOUND, 404),
    DISK_IN_USE("disk_in_use", Status.Code.FAILED_PRECONDITION, 409),
    DISK_NOT_EMPTY("disk_not_empty", Status.Code.FAILED_PRECONDITION, 409),
    GIT_REPOSITORY_NOT_FOUND("git_repository_not_found", Status.Code.NOT_FOUND, 404),
    GIT_REF_NOT_FOUND("git_ref_not_found", Status.Code.NOT_FOUND, 404),
    GIT_UNREACHABLE("git_unreachable", Status.Code.UNAVAILABLE, 502),
    GIT_IMPORT_FAILED("git_import_failed", Status.Code.INTERNAL, 502),
    HOST_FULL("host_full", Status.Code.RESOURCE_EXHAUSTED, 503),
    BOOT_FAILED("boot_failed", Status.Code.INTERNAL, 502),
    RUNTIME_UNAVAILABLE("runtime_unavailable", Status.Code.FAILED_PRECONDITION, 503),
    COMMAND_NOT_FOUND("command_not_found", Status.Code.NOT_FOUND, 404),
    PTY_NOT_FOUND("pty_not_found", Status.Code.NOT_FOUND, 404),
    FILE_NOT_FOUND("file_not_found", Status.Code.NOT_FOUND, 404),
    /** A sandbox path that leaves the sandbox or names something other than a file ({@code ..}, symlinks out, devices). */
    PATH_NOT_ALLOWED("path_not_allowed", Status.Code.PERMISSION_DENIED, 400),
    PAYLOAD_TOO_LARGE("payload_too_large", Status.Code.RESOURCE_EXHAUSTED, 413),
    PORT_NOT_LISTENING("port_not_listening", Status.Code.UNAVAILABLE, 502),
    INTERNAL("internal", Status.Code.INTERNAL, 500);

    private final String code;
    private final Status.Code grpcStatus;
    private final int httpStatus;

    AgentError(String code, Status.Code grpcStatus, int httpStatus) {
        this.code = code;
        this.grpcStatus = grpcStatus;
        this.httpStatus = httpStatus;
    }

    public String code() {
        return code;
    }

    public Status.Code grpcStatus() {
        return grpcStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public AgentException exception(String message) {
        return new AgentException(this, message);
    }
}
