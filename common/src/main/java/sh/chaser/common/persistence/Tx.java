package sh.chaser.common.persistence;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Blocking entry to the reactive database for use cases that run on worker threads: each call is one
 * transaction on a fresh Vert.x context. Disk work on vm-agents happens between two such calls, never
 * inside one, so no row stays locked across a network call.
 */
public final class Tx {

    private Tx() {}

    public static <T> T run(Supplier<Uni<T>> work) {
        return await(() -> Panache.withTransaction(work));
    }

    public static <T> T read(Supplier<Uni<T>> work) {
        return await(() -> Panache.withSession(work));
    }

    /** Now, at the database's precision, so a value read back compares equal. */
    public static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }

    private static <T> T await(Supplier<Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(work);
        } catch (RuntimeException | Error e) {
            throw unwrap(e);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static RuntimeException unwrap(Throwable t) {
        Throwable cause = t;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof RuntimeException r) {
            return r;
        }
        return new IllegalStateException(cause);
    }
}
