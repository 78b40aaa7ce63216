package sh.chaser.session.application;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import sh.chaser.common.persistence.Tx;
import sh.chaser.session.persistence.PgLeaseRepository;
import sh.chaser.session.persistence.PgSessionRepository;
import sh.chaser.session.persistence.SessionEntity;

/** The reads behind session lists and views: an account's sessions page by page, and their open leases. */
@ApplicationScoped
public class SessionQueries {

    @Inject
    PgSessionRepository sessions;
    @Inject
    PgLeaseRepository leases;

    /** The account's sessions newest first after the cursor's row (null: from the newest), at most {@code rows}. */
    public List<SessionEntity> page(UUID accountId, String status, String sessionType, UUID workspaceId, int rows,
            OffsetDateTime afterCreatedAt, UUID afterId) {
        return Tx.read(() -> sessions.list(accountId, status, sessionType, workspaceId, rows, afterCreatedAt, afterId));
    }

    /** Connections holding a running session now (0 for a session not running). */
    public long openLeases(SessionEntity s) {
        return "running".equals(s.status) ? Tx.read(() -> leases.active(s.id, Tx.now())) : 0;
    }

    /** Open leases of each running session among {@code rows}. */
    public Map<UUID, Long> openLeases(List<SessionEntity> rows) {
        var ids = rows.stream().filter(s -> "running".equals(s.status)).map(s -> s.id).toList();
        return Tx.read(() -> leases.activeBySession(ids, Tx.now()));
    }
}
