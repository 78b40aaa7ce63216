package sh.chaser.common.api;

/**
 * 403 {@code limit_exceeded}: the account reached one of its limits, named in the envelope's
 * {@code limit} ({@code concurrent_sessions}, {@code workspaces}, {@code workspace_storage_bytes},
 * {@code account_storage_bytes}) and at the start of the message.
 */
public class LimitExceeded extends ServiceException {

    private final String limit;

    public LimitExceeded(CatalogCode code, String limit, String message) {
        super(code, limit + ": " + message);
        this.limit = limit;
    }

    public String limit() {
        return limit;
    }

    /** The limit a message made by this class names, or null. */
    public static String limitOf(String message) {
        if (message == null || !message.contains(": ")) {
            return null;
        }
        String name = message.substring(0, message.indexOf(": "));
        return name.matches("[a-z_]+") ? name : null;
    }
}
