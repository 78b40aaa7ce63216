package sh.chaser.common.api;

/** A refusal with a catalogued code; its message is safe to show to the caller. */
public class ServiceException extends RuntimeException {

    private final CatalogCode code;
    private final String field;

    public ServiceException(CatalogCode code, String message) {
        this(code, message, null);
    }

    /** @param field the request field at fault, when one is */
    public ServiceException(CatalogCode code, String message, String field) {
        super(message, null, false, false);
        this.code = code;
        this.field = field;
    }

    public CatalogCode code() {
        return code;
    }

    public String field() {
        return field;
    }
}
