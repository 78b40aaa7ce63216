package sh.chaser.session.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import sh.chaser.common.persistence.Tx;
import sh.chaser.session.persistence.PgLeaseRepository;
import sh.chaser.session.persistence.SessionEntity;

/** SessionInfo with its live lease count. */
@ApplicationScoped
public class Views {

    @Inject
    PgLeaseRepository leases;
    @Inject
    Endpoints endpoints;

    public SessionView of(SessionEntity s) {
        long open = "running".equals(s.status) ? Tx.read(() -> leases.active(s.id, Tx.now())) : 0;
        return SessionView.of(s, endpoints, open);
    }

    /** A session just created: no stream can hold a lease on it yet. */
    public SessionView fresh(SessionEntity s) {
        return SessionView.of(s, endpoints, 0);
    }

    public List<SessionView> of(List<SessionEntity> rows) {
        var ids = rows.stream().filter(s -> "running".equals(s.status)).map(s -> s.id).toList();
        var open = Tx.read(() -> leases.activeBySession(ids, Tx.now()));
        return rows.stream().map(s -> SessionView.of(s, endpoints, open.getOrDefault(s.id, 0L))).toList();
    }
}
