package sh.chaser.common.persistence;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import java.util.UUID;

/**
 * A PostgreSQL advisory lock on one account, held until the current transaction ends: limit checks
 * (count, then insert) of one account run one at a time, so two creates cannot both take the last place.
 */
public final class AccountLock {

    private AccountLock() {}

    public static Uni<Void> hold(UUID accountId) {
        return holdNamed(accountId.toString());
    }

    /** The same kind of transaction-long lock on any name (one-time work that replicas race for). */
    public static Uni<Void> holdNamed(String name) {
        return Panache.getSession()
                .flatMap(s -> s.createNativeQuery("SELECT pg_advisory_xact_lock(hashtextextended(:name, 0))")
                        .setParameter("name", name).getSingleResult())
                .replaceWithVoid();
    }
}
