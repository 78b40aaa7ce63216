package sh.chaser.common.api;

import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * {@code ?limit=&cursor=} over a list already in memory (an account's keys, members, service
 * accounts, webhooks, a workspace's snapshots: hundreds at most): newest first by (created_at, id),
 * the same opaque {@link Cursor} the database-paged lists give.
 */
public final class Paging {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 500;

    private Paging() {}

    /** The checked page size: {@code limit} or the default; 1 to 500, else {@code invalid_request}. */
    public static int limit(Integer limit, CatalogCode invalid) {
        int n = limit == null ? DEFAULT_LIMIT : limit;
        if (n < 1 || n > MAX_LIMIT) {
            throw new ServiceException(invalid, "limit must be between 1 and " + MAX_LIMIT, "limit");
        }
        return n;
    }

    public static <T> Page<T> page(List<T> all, Function<T, OffsetDateTime> createdAt, Function<T, UUID> id,
            Integer limit, String cursor, CatalogCode invalid) {
        int n = limit(limit, invalid);
        Cursor after = Cursor.decode(cursor, invalid);
        Comparator<T> newestFirst = Comparator.comparing((T item) -> createdAt.apply(item).toInstant(),
                Comparator.reverseOrder()).thenComparing(id, Comparator.reverseOrder());
        List<T> rest = all.stream().sorted(newestFirst)
                .filter(item -> after == null || isAfter(createdAt.apply(item), id.apply(item), after)).toList();
        List<T> data = rest.stream().limit(n).toList();
        if (rest.size() <= n) {
            return new Page<>(data, null);
        }
        T last = data.get(data.size() - 1);
        return new Page<>(data, new Cursor(createdAt.apply(last), id.apply(last)).encode());
    }

    /** Strictly older than the cursor's item in newest-first order. */
    private static boolean isAfter(OffsetDateTime created, UUID id, Cursor cursor) {
        int byTime = created.toInstant().compareTo(cursor.createdAt().toInstant());
        return byTime < 0 || (byTime == 0 && id.compareTo(cursor.id()) < 0);
    }
}
