package sh.chaser.session.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import sh.chaser.session.application.SessionQueries;
import sh.chaser.session.persistence.SessionEntity;

/** SessionInfo with its live lease count. */
@ApplicationScoped
public class Views {

    @Inject
    SessionQueries queries;
    @Inject
    Endpoints endpoints;

    public SessionView of(SessionEntity s) {
        return SessionView.of(s, endpoints, queries.openLeases(s));
    }

    /** A session just created: no stream can hold a lease on it yet. */
    public SessionView fresh(SessionEntity s) {
        return SessionView.of(s, endpoints, 0);
    }

    public List<SessionView> of(List<SessionEntity> rows) {
        var open = queries.openLeases(rows);
        return rows.stream().map(s -> SessionView.of(s, endpoints, open.getOrDefault(s.id, 0L))).toList();
    }
}
