package sh.chaser.common.api;

/**
 * 403 {@code limit_exceeded}: the account reached one of its limits, named in the envelope's
 * {@code limit} ({@code concurrent_sessions}, {@code workspaces}, {@code workspace_storage_bytes},
 * {@code account_storage_bytes}) and at the start of the message.
 */
public class LimitExceeded extends ServiceException {

    private final String limit;

    private LimitExceeded(CatalogCode code, String limit, String message) {
        super(code, message);
        this.limit = limit;
    }

    /** The account reached {@code limit}; the message names it first. */
    public static LimitExceeded of(CatalogCode code, String limit, String message) {
        return new LimitExceeded(code, limit, limit + ": " + message);
    }

    /** A refusal another service made, relayed with its message as it was and its limit from the trailer. */
    public static LimitExceeded relayed(CatalogCode code, String limit, String message) {
        return new LimitExceeded(code, limit, message);
    }

    public String limit() {
        return limit;
    }
}
