package sh.chaser.gateway.domain;

/** A refusal with a catalogued code; its message is safe to show to the caller. */
public class ApiException extends RuntimeException {

    private final ErrorCode code;

    public ApiException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
