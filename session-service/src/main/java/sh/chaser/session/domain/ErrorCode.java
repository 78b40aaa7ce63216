package sh.chaser.session.domain;

import sh.chaser.common.api.CatalogCode;
import sh.chaser.proto.errors.v1.ErrorReason;

/** session-service's error catalogue: the codes of errors.proto it answers with. */
public enum ErrorCode implements CatalogCode {

    INVALID_REQUEST(ErrorReason.INVALID_REQUEST),
    /** A host registering without the installation's join token. */
    UNAUTHORIZED(ErrorReason.UNAUTHORIZED),
    /** A host presenting another host's id without that host's credential. */
    FORBIDDEN(ErrorReason.FORBIDDEN),
    /** A path the join port does not answer. */
    NOT_FOUND(ErrorReason.NOT_FOUND),
    UNSUPPORTED_FOR_SESSION_TYPE(ErrorReason.UNSUPPORTED_FOR_SESSION_TYPE),
    /** One of the account's limits (named in the envelope's {@code limit}) is reached. */
    LIMIT_EXCEEDED(ErrorReason.LIMIT_EXCEEDED),
    SESSION_NOT_FOUND(ErrorReason.SESSION_NOT_FOUND),
    WORKSPACE_NOT_FOUND(ErrorReason.WORKSPACE_NOT_FOUND),
    WORKSPACE_NAME_AMBIGUOUS(ErrorReason.WORKSPACE_NAME_AMBIGUOUS),
    SESSION_TYPE_MISMATCH(ErrorReason.SESSION_TYPE_MISMATCH),
    SESSION_HAS_ACTIVE_LEASES(ErrorReason.SESSION_HAS_ACTIVE_LEASES),
    SESSION_NOT_RUNNING(ErrorReason.SESSION_NOT_RUNNING),
    /** Pause and resume need a microVM runtime. */
    UNSUPPORTED_FOR_RUNTIME(ErrorReason.UNSUPPORTED_FOR_RUNTIME),
    /** The VM could not be paused; it runs on. */
    PAUSE_FAILED(ErrorReason.PAUSE_FAILED),
    /** A paused session's saved state does not match its manifest; it stays paused. */
    SNAPSHOT_CORRUPT(ErrorReason.SNAPSHOT_CORRUPT),
    /** A disk operation on the workspace (restore, clone into it, import) has not finished. */
    WORKSPACE_BUSY(ErrorReason.WORKSPACE_BUSY),
    /** The workspace is importing or its import failed. */
    WORKSPACE_NOT_READY(ErrorReason.WORKSPACE_NOT_READY),
    NO_CAPACITY(ErrorReason.NO_CAPACITY),
    /** The host keeping the workspace's disk is not heard from, or workspace-service cannot be reached. */
    HOST_UNAVAILABLE(ErrorReason.HOST_UNAVAILABLE),
    /** The image's registry could not be reached or gave no image (the session is terminated with boot_failed). */
    IMAGE_PULL_FAILED(ErrorReason.IMAGE_PULL_FAILED),
    /** The VM did not come up (the session is terminated with reason boot_failed). */
    BOOT_FAILED(ErrorReason.BOOT_FAILED),
    /** Jobs: another account's job is not found either. */
    JOB_NOT_FOUND(ErrorReason.JOB_NOT_FOUND),
    JOB_FINISHED(ErrorReason.JOB_FINISHED),
    /** A job's credential lacks a scope its kind needs. */
    INSUFFICIENT_SCOPE(ErrorReason.INSUFFICIENT_SCOPE),
    /** In a job's error: a command exited non-zero or timed out. */
    COMMAND_FAILED(ErrorReason.COMMAND_FAILED),
    /** In a job's error: a DevTools call failed. */
    BROWSER_CALL_FAILED(ErrorReason.BROWSER_CALL_FAILED),
    INTERNAL(ErrorReason.INTERNAL_ERROR);

    private final ErrorReason reason;

    ErrorCode(ErrorReason reason) {
        this.reason = reason;
    }

    @Override
    public ErrorReason reason() {
        return reason;
    }

    /** The entry with this code, or null. */
    public static ErrorCode of(String code) {
        for (ErrorCode c : values()) {
            if (c.code().equals(code)) {
                return c;
            }
        }
        return null;
    }
}
