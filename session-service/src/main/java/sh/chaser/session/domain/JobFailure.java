package sh.chaser.session.domain;

/**
 * An attempt that did not succeed: its code (the error catalogue's), message, whether another attempt
 * may succeed, and what it produced so far (a failed step's output), as JSON text or null.
 */
public class JobFailure extends RuntimeException {

    private final String code;
    private final boolean retryable;
    private final String resultJson;

    public JobFailure(String code, String message, boolean retryable, String resultJson) {
        super(message, null, false, false);
        this.code = code;
        this.retryable = retryable;
        this.resultJson = resultJson;
    }

    public String code() {
        return code;
    }

    public boolean retryable() {
        return retryable;
    }

    public String resultJson() {
        return resultJson;
    }
}
