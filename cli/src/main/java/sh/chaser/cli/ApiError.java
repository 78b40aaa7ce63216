package sh.chaser.cli;

/** A refusal of the API (its stable code and message), or a failure to reach it. */
final class ApiError extends RuntimeException {

    private final String code;

    ApiError(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    String code() {
        return code;
    }
}
