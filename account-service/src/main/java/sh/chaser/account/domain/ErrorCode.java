package sh.chaser.account.domain;

import sh.chaser.common.api.CatalogCode;
import sh.chaser.proto.errors.v1.ErrorReason;

/** account-service's error catalogue: the codes of errors.proto it answers with. */
public enum ErrorCode implements CatalogCode {

    INVALID_REQUEST(ErrorReason.INVALID_REQUEST),
    UNAUTHORIZED(ErrorReason.UNAUTHORIZED),
    FORBIDDEN(ErrorReason.FORBIDDEN),
    ACCOUNT_MISMATCH(ErrorReason.ACCOUNT_MISMATCH),
    INSUFFICIENT_SCOPE(ErrorReason.INSUFFICIENT_SCOPE),
    ACCOUNT_NOT_FOUND(ErrorReason.ACCOUNT_NOT_FOUND),
    API_KEY_NOT_FOUND(ErrorReason.API_KEY_NOT_FOUND),
    MEMBER_NOT_FOUND(ErrorReason.MEMBER_NOT_FOUND),
    WEBHOOK_NOT_FOUND(ErrorReason.WEBHOOK_NOT_FOUND),
    SSH_KEY_NOT_FOUND(ErrorReason.SSH_KEY_NOT_FOUND),
    SSH_KEY_TAKEN(ErrorReason.SSH_KEY_TAKEN),
    SERVICE_ACCOUNT_NOT_FOUND(ErrorReason.SERVICE_ACCOUNT_NOT_FOUND),
    LAST_OWNER(ErrorReason.LAST_OWNER),
    ALREADY_MEMBER(ErrorReason.ALREADY_MEMBER),
    ACCOUNT_NAME_TAKEN(ErrorReason.ACCOUNT_NAME_TAKEN),
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
