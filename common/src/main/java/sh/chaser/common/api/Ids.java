package sh.chaser.common.api;

import java.util.UUID;

/** Path ids: a value that is not a UUID names nothing, so it is the resource's 404. */
public final class Ids {

    private Ids() {}

    public static UUID parse(String raw, CatalogCode notFound, String message) {
        try {
            return UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            throw new ServiceException(notFound, message);
        }
    }
}
