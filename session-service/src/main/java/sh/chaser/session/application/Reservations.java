package sh.chaser.session.application;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import sh.chaser.common.api.ServiceException;
import sh.chaser.common.persistence.Tx;
import sh.chaser.session.config.SessionConfig;
import sh.chaser.session.persistence.PgSessionRepository;
import sh.chaser.session.persistence.SessionEntity;

/**
 * A reservation older than the stale age belongs to a create that died between taking the workspace
 * lock and announcing the session. Acquire is idempotent for the same session id, so asking again
 * tells whether this id holds the lock; if it does, the lock is given back. Then the row goes.
 */
@ApplicationScoped
public class Reservations {

    private static final Logger LOG = Logger.getLogger(Reservations.class);

    @Inject
    PgSessionRepository sessions;
    @Inject
    WorkspaceLocks locks;
    @Inject
    SessionStates states;
    @Inject
    SessionConfig config;

    public void reapStale() {
        var before = Tx.now().minus(config.reconcile().staleAfter());
        for (SessionEntity s : Tx.read(() -> sessions.reservedBefore(before))) {
            try {
                var lock = locks.acquire(s.accountId, s.workspaceSelector, s.sessionType, s.id);
                if (lock.getAcquired()) {
                    locks.release(s.accountId, java.util.UUID.fromString(lock.getWorkspaceId()), s.id);
                }
            } catch (ServiceException refused) {
                // the workspace is gone or never matched: nothing is held
                if (refused.code().httpStatus() >= 500) {
                    continue; // workspace-service away: try on the next pass
                }
            }
            LOG.infof("dropping reservation %s left by an interrupted create", s.id);
            states.dropReservation(s.id);
        }
    }
}
