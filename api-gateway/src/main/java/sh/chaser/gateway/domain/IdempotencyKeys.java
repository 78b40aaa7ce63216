package sh.chaser.gateway.domain;

import java.util.Optional;
import java.util.Set;

/** Which requests an {@code Idempotency-Key} applies to, and what a key may look like. */
public final class IdempotencyKeys {

    public static final String HEADER = "Idempotency-Key";
    public static final int MAX_KEY_LENGTH = 255;
    /** Every mutation a service answers takes a small JSON body; a kept request is read whole first. */
    public static final int MAX_BODY_BYTES = 1 << 20;
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

    private IdempotencyKeys() {}

    /** What the key applies to on this route and method. */
    public enum Use {
        /** a read: the header changes nothing */
        IGNORED,
        /** a service's mutation: run once, replayed after */
        KEPT,
        /** the data plane's own commands, connect tokens and MCP: they run each time, so the key is refused */
        REFUSED,
        /** a sandbox's own HTTP (forwarded ports, DevTools): the header is the sandbox's business */
        PASSED_ON
    }

    public static Use use(Route route, String method) {
        if (route.method().equals(Route.ANY_METHOD)) {
            return Use.PASSED_ON;
        }
        if (READS.contains(method)) {
            return Use.IGNORED;
        }
        return route.backend() == Backend.HOST || route.backend() == Backend.GATEWAY ? Use.REFUSED : Use.KEPT;
    }

    /** Why the key is malformed, or empty: 1 to 255 visible ASCII characters. */
    public static Optional<String> problem(String key) {
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            return Optional.of("Idempotency-Key must be 1 to " + MAX_KEY_LENGTH
                    + " visible ASCII characters (a UUID is a good key)");
        }
        return Optional.empty();
    }
}
