package sh.chaser.account.domain;

/** A refusal with a catalogued code; its message is safe to show to the caller. */
public class AccountException extends RuntimeException {

    private final ErrorCode code;

    public AccountException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
