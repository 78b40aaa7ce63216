package sh.chaser.account.domain;

import java.util.List;

/** {@code {"data": [...], "next_cursor": ...}}, the shape of every list. */
public record Page<T>(List<T> data, String nextCursor) {

    public static <T> Page<T> of(List<T> data) {
        return new Page<>(data, null);
    }
}
