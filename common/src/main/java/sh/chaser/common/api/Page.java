package sh.chaser.common.api;

import java.util.List;

/** A list answer: {@code {"data": [...], "next_cursor": null}}. */
public record Page<T>(List<T> data, String nextCursor) {

    public static <T> Page<T> of(List<T> data) {
        return new Page<>(data, null);
    }
}
