package sh.chaser.workspace.api;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.UUID;
import sh.chaser.common.api.ServiceException;
import sh.chaser.workspace.domain.ErrorCode;

/** The opaque {@code cursor} of a list: the position (created_at, id) of the last item returned. */
record Cursor(OffsetDateTime createdAt, UUID id) {

    String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((createdAt + "|" + id).getBytes(StandardCharsets.UTF_8));
    }

    static Cursor decode(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|");
            return new Cursor(OffsetDateTime.parse(parts[0]), UUID.fromString(parts[1]));
        } catch (RuntimeException e) {
            throw new ServiceException(ErrorCode.INVALID_REQUEST, "cursor is not one this API gave", "cursor");
        }
    }
}
