package sh.chaser.session.application;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import sh.chaser.common.persistence.Tx;
import sh.chaser.session.config.SessionConfig;
import sh.chaser.session.domain.ErrorCode;
import sh.chaser.session.persistence.LeaseEntity;
import sh.chaser.session.persistence.PgLeaseRepository;
import sh.chaser.session.persistence.PgSessionRepository;

/**
 * Connection leases: one per open stream to a session, renewed by its holder within the TTL. Taken
 * under the session's row lock, so a lease is never granted on a session being terminated.
 */
@ApplicationScoped
public class Leases {

    @Inject
    PgLeaseRepository leases;
    @Inject
    PgSessionRepository sessions;
    @Inject
    SessionConfig config;

    private final java.util.Set<UUID> held = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private java.util.concurrent.ScheduledExecutorService renewer;

    public LeaseEntity acquire(UUID accountId, UUID sessionId, String holder, String kind) {
        return Tx.run(() -> sessions.lock(sessionId).flatMap(s -> {
            if (s == null || !s.accountId.equals(accountId) || "reserved".equals(s.status)) {
                throw ErrorCode.SESSION_NOT_FOUND.exception("no session " + sessionId);
            }
            if (!"running".equals(s.status)) {
                throw ErrorCode.SESSION_NOT_RUNNING.exception("session " + sessionId + " is " + s.status);
            }
            LeaseEntity lease = new LeaseEntity();
            lease.id = UUID.randomUUID();
            lease.sessionId = sessionId;
            lease.holder = holder;
            lease.kind = kind;
            lease.acquiredAt = Tx.now();
            lease.expiresAt = lease.acquiredAt.plus(config.leases().ttl());
            return leases.persist(lease);
        }));
    }

    /** @return the leases among {@code ids} that are gone */
    public List<UUID> renew(List<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        var now = Tx.now();
        return Tx.run(() -> leases.renew(ids, now, now.plus(config.leases().ttl())));
    }

    public void release(UUID id) {
        // one DELETE statement, not a load and a flushed remove: Hibernate Reactive's entity delete
        // under concurrency answered on another event loop (HR000069) and left its transaction open
        Tx.run(() -> leases.delete("id", id));
    }

    /**
     * Keeps a lease this instance holds renewed (a third of the TTL ahead) until {@link #drop};
     * if this process dies the lease simply expires.
     */
    public void hold(UUID leaseId) {
        held.add(leaseId);
        synchronized (this) {
            if (renewer == null) {
                renewer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "lease-renewer");
                    t.setDaemon(true);
                    return t;
                });
                long every = Math.max(1000, config.leases().ttl().toMillis() / 3);
                renewer.scheduleWithFixedDelay(this::renewHeld, every, every,
                        java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        }
    }

    public void drop(UUID leaseId) {
        held.remove(leaseId);
        release(leaseId);
    }

    private void renewHeld() {
        try {
            renew(List.copyOf(held)).forEach(held::remove);
        } catch (RuntimeException e) {
            org.jboss.logging.Logger.getLogger(Leases.class).warnf("renewing leases failed (%s)", e.toString());
        }
    }

    public int ttlSeconds() {
        return (int) config.leases().ttl().toSeconds();
    }
}
