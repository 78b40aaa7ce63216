package sh.chaser.common.api;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.UUID;

/** The opaque {@code cursor} of a list: the position (created_at, id) of the last item returned. */
public record Cursor(OffsetDateTime createdAt, UUID id) {

    public String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((createdAt + "|" + id).getBytes(StandardCharsets.UTF_8));
    }

    /** @param invalid the service's invalid_request entry, for a cursor this API did not give */
    public static Cursor decode(String cursor, CatalogCode invalid) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|");
            return new Cursor(OffsetDateTime.parse(parts[0]), UUID.fromString(parts[1]));
        } catch (RuntimeException e) {
            throw new ServiceException(invalid, "cursor is not one this API gave", "cursor");
        }
    }
}
