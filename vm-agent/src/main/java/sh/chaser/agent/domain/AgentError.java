package sh.chaser.agent.domain;

import sh.chaser.contracts.ErrorCatalog;
import sh.chaser.proto.errors.v1.ErrorReason;

/**
 * The vm-agent's error catalogue: stable code, gRPC status, and the HTTP status its data plane
 * answers with (the gateway passes those answers through in the API's envelope).
 */
public enum AgentError {

    INVALID_REQUEST(ErrorReason.INVALID_REQUEST),
    UNAUTHORIZED(ErrorReason.UNAUTHORIZED),
    FORBIDDEN(ErrorReason.FORBIDDEN),
    IMAGE_NOT_FOUND(ErrorReason.IMAGE_NOT_FOUND),
    IMAGE_PULL_FAILED(ErrorReason.IMAGE_PULL_FAILED),
    SANDBOX_NOT_FOUND(ErrorReason.SANDBOX_NOT_FOUND),
    SANDBOX_NOT_RUNNING(ErrorReason.SANDBOX_NOT_RUNNING),
    UNSUPPORTED_RUNTIME(ErrorReason.UNSUPPORTED_RUNTIME),
    DISK_NOT_FOUND(ErrorReason.DISK_NOT_FOUND),
    SNAPSHOT_NOT_FOUND(ErrorReason.SNAPSHOT_NOT_FOUND),
    DISK_IN_USE(ErrorReason.DISK_IN_USE),
    DISK_NOT_EMPTY(ErrorReason.DISK_NOT_EMPTY),
    GIT_REPOSITORY_NOT_FOUND(ErrorReason.GIT_REPOSITORY_NOT_FOUND),
    GIT_REF_NOT_FOUND(ErrorReason.GIT_REF_NOT_FOUND),
    GIT_UNREACHABLE(ErrorReason.GIT_UNREACHABLE),
    GIT_IMPORT_FAILED(ErrorReason.GIT_IMPORT_FAILED),
    HOST_FULL(ErrorReason.HOST_FULL),
    BOOT_FAILED(ErrorReason.BOOT_FAILED),
    RUNTIME_UNAVAILABLE(ErrorReason.RUNTIME_UNAVAILABLE),
    COMMAND_NOT_FOUND(ErrorReason.COMMAND_NOT_FOUND),
    PTY_NOT_FOUND(ErrorReason.PTY_NOT_FOUND),
    FILE_NOT_FOUND(ErrorReason.FILE_NOT_FOUND),
    /** A sandbox path that leaves the sandbox or names something other than a file ({@code ..}, symlinks out,
            devices). */
    PATH_NOT_ALLOWED(ErrorReason.PATH_NOT_ALLOWED),
    PAYLOAD_TOO_LARGE(ErrorReason.PAYLOAD_TOO_LARGE),
    PORT_NOT_LISTENING(ErrorReason.PORT_NOT_LISTENING),
    SNAPSHOT_CORRUPT(ErrorReason.SNAPSHOT_CORRUPT),
    PAUSE_FAILED(ErrorReason.PAUSE_FAILED),
    INTERNAL(ErrorReason.INTERNAL_ERROR);

    private final ErrorCatalog.Entry entry;

    AgentError(ErrorReason reason) {
        this.entry = ErrorCatalog.of(reason);
    }

    public String code() {
        return entry.code();
    }

    public int httpStatus() {
        return entry.httpStatus();
    }

    public io.grpc.Status.Code grpcStatus() {
        return entry.grpcStatus();
    }

    public AgentException exception(String message) {
        return new AgentException(this, message);
    }
}
