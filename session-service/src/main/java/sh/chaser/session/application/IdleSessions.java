package sh.chaser.session.application;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import sh.chaser.common.persistence.Tx;
import sh.chaser.proto.vmagent.v1.Vm;
import sh.chaser.session.persistence.PgLeaseRepository;
import sh.chaser.session.persistence.SessionEntity;

/**
 * The idle timeout: a running session whose account had one when it was created ends
 * {@code idle_timeout} once its host says nothing has used its sandbox for that long (no request,
 * exec or running command) and no connection lease is held. The host's count restarts with the
 * host's agent, so a restart never shortens it.
 */
@ApplicationScoped
public class IdleSessions {

    @Inject
    PgLeaseRepository leases;

    public boolean timedOut(SessionEntity s, Vm vm) {
        if (s.idleTimeoutSeconds <= 0 || !"running".equals(s.status) || vm.getIdleSeconds() < s.idleTimeoutSeconds) {
            return false;
        }
        if (s.runningAt != null && Duration.between(s.runningAt, Tx.now()).toSeconds() < s.idleTimeoutSeconds) {
            return false;
        }
        return Tx.read(() -> leases.active(s.id, Tx.now())) == 0;
    }
}
