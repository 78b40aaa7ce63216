package sh.chaser.workspace.domain;

import sh.chaser.common.api.CatalogCode;
import sh.chaser.proto.errors.v1.ErrorReason;

/** workspace-service's error catalogue: the codes of errors.proto it answers with. */
public enum ErrorCode implements CatalogCode {

    INVALID_REQUEST(ErrorReason.INVALID_REQUEST),
    LIMIT_EXCEEDED(ErrorReason.LIMIT_EXCEEDED),
    WORKSPACE_NOT_FOUND(ErrorReason.WORKSPACE_NOT_FOUND),
    SNAPSHOT_NOT_FOUND(ErrorReason.SNAPSHOT_NOT_FOUND),
    GIT_REPOSITORY_NOT_FOUND(ErrorReason.GIT_REPOSITORY_NOT_FOUND),
    WORKSPACE_NAME_TAKEN(ErrorReason.WORKSPACE_NAME_TAKEN),
    WORKSPACE_NAME_AMBIGUOUS(ErrorReason.WORKSPACE_NAME_AMBIGUOUS),
    WORKSPACE_IN_USE(ErrorReason.WORKSPACE_IN_USE),
    /** Another disk operation (clone into it, import, restore, delete) has not finished yet. */
    WORKSPACE_BUSY(ErrorReason.WORKSPACE_BUSY),
    /** Importing or failed: no session, clone or snapshot until it is ready. */
    WORKSPACE_NOT_READY(ErrorReason.WORKSPACE_NOT_READY),
    SESSION_TYPE_MISMATCH(ErrorReason.SESSION_TYPE_MISMATCH),
    SNAPSHOT_NAME_TAKEN(ErrorReason.SNAPSHOT_NAME_TAKEN),
    NO_CAPACITY(ErrorReason.NO_CAPACITY),
    HOST_UNAVAILABLE(ErrorReason.HOST_UNAVAILABLE),
    INTERNAL(ErrorReason.INTERNAL_ERROR);

    private final ErrorReason reason;

    ErrorCode(ErrorReason reason) {
        this.reason = reason;
    }

    @Override
    public ErrorReason reason() {
        return reason;
    }

}
