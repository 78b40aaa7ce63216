package sh.chaser.account.api;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import sh.chaser.account.domain.ErrorCode;
import sh.chaser.account.domain.Page;
import sh.chaser.common.api.Paging;

/** {@code ?limit=&cursor=} over an account's list read whole (keys, members, service accounts, webhooks). */
final class Lists {

    private Lists() {}

    static <T> Page<T> page(List<T> all, Function<T, OffsetDateTime> createdAt, Function<T, UUID> id, Integer limit,
            String cursor) {
        var page = Paging.page(all, createdAt, id, limit, cursor, ErrorCode.INVALID_REQUEST);
        return new Page<>(page.data(), page.nextCursor());
    }
}
