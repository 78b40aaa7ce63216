package sh.chaser.gateway.domain;

/** The gateway's error catalogue: the stable codes of API.md and their HTTP statuses. */
public enum ErrorCode {
    INVALID_REQUEST("invalid_request", 400),
    UNAUTHORIZED("unauthorized", 401),
    FORBIDDEN("forbidden", 403),
    INSUFFICIENT_SCOPE("insufficient_scope", 403),
    ACCOUNT_MISMATCH("account_mismatch", 403),
    NOT_FOUND("not_found", 404),
    ACCOUNT_NOT_FOUND("account_not_found", 404),
    SESSION_NOT_FOUND("session_not_found", 404),
    UNSUPPORTED_FOR_SESSION_TYPE("unsupported_for_session_type", 400),
    SESSION_NOT_RUNNING("session_not_running", 409),
    METHOD_NOT_ALLOWED("method_not_allowed", 405),
    RATE_LIMITED("rate_limited", 429),
    INTERNAL("internal_error", 500),
    SERVICE_UNAVAILABLE("service_unavailable", 503),
    HOST_UNAVAILABLE("host_unavailable", 503);

    private final String code;
    private final int httpStatus;

    ErrorCode(String code, int httpStatus) {
        this.code = code;
        this.httpStatus = httpStatus;
    }

    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** A backend's catalogue code, mapped to ours; unknown codes become {@code fallback}. */
    public static ErrorCode fromCode(String code, ErrorCode fallback) {
        for (ErrorCode c : values()) {
            if (c.code.equals(code)) {
                return c;
            }
        }
        return fallback;
    }
}
