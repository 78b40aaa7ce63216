package sh.chaser.gateway.domain;

import sh.chaser.contracts.ErrorCatalog;
import sh.chaser.proto.errors.v1.ErrorReason;

/** The gateway's error catalogue: the stable codes of API.md and their HTTP statuses. */
public enum ErrorCode {

    INVALID_REQUEST(ErrorReason.INVALID_REQUEST),
    UNAUTHORIZED(ErrorReason.UNAUTHORIZED),
    FORBIDDEN(ErrorReason.FORBIDDEN),
    INSUFFICIENT_SCOPE(ErrorReason.INSUFFICIENT_SCOPE),
    ACCOUNT_MISMATCH(ErrorReason.ACCOUNT_MISMATCH),
    NOT_FOUND(ErrorReason.NOT_FOUND),
    ACCOUNT_NOT_FOUND(ErrorReason.ACCOUNT_NOT_FOUND),
    SESSION_NOT_FOUND(ErrorReason.SESSION_NOT_FOUND),
    UNSUPPORTED_FOR_SESSION_TYPE(ErrorReason.UNSUPPORTED_FOR_SESSION_TYPE),
    SESSION_NOT_RUNNING(ErrorReason.SESSION_NOT_RUNNING),
    METHOD_NOT_ALLOWED(ErrorReason.METHOD_NOT_ALLOWED),
    IDEMPOTENCY_KEY_IN_PROGRESS(ErrorReason.IDEMPOTENCY_KEY_IN_PROGRESS),
    IDEMPOTENCY_KEY_REUSED(ErrorReason.IDEMPOTENCY_KEY_REUSED),
    PAYLOAD_TOO_LARGE(ErrorReason.PAYLOAD_TOO_LARGE),
    RATE_LIMITED(ErrorReason.RATE_LIMITED),
    INTERNAL(ErrorReason.INTERNAL_ERROR),
    SERVICE_UNAVAILABLE(ErrorReason.SERVICE_UNAVAILABLE),
    HOST_UNAVAILABLE(ErrorReason.HOST_UNAVAILABLE);

    private final ErrorCatalog.Entry entry;

    ErrorCode(ErrorReason reason) {
        this.entry = ErrorCatalog.of(reason);
    }

    public String code() {
        return entry.code();
    }

    public int httpStatus() {
        return entry.httpStatus();
    }

    /** A backend's catalogue code, mapped to ours; unknown codes become {@code fallback}. */
    public static ErrorCode fromCode(String code, ErrorCode fallback) {
        for (ErrorCode c : values()) {
            if (c.code().equals(code)) {
                return c;
            }
        }
        return fallback;
    }
}
