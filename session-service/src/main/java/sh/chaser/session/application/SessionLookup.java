package sh.chaser.session.application;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import sh.chaser.common.grpc.AgentFailure;
import sh.chaser.common.persistence.Tx;
import sh.chaser.session.domain.ErrorCode;
import sh.chaser.session.persistence.PgSessionRepository;
import sh.chaser.session.persistence.SessionEntity;

/** One session of the caller's account, its status checked with its vm-agent first when it is live. */
@ApplicationScoped
public class SessionLookup {

    private static final Duration ASK_AGENT = Duration.ofSeconds(2);

    @Inject
    PgSessionRepository sessions;
    @Inject
    Placement placement;
    @Inject
    VmAgents agents;
    @Inject
    Convergence convergence;

    public SessionEntity find(UUID accountId, UUID id) {
        SessionEntity s = Tx.read(() -> sessions.visible(accountId, id));
        if (s == null) {
            throw ErrorCode.SESSION_NOT_FOUND.exception("no session " + id);
        }
        return s;
    }

    public SessionEntity reconciled(UUID accountId, UUID id) {
        SessionEntity s = find(accountId, id);
        if (!s.live() || s.hostId == null) {
            return s;
        }
        var host = placement.address(s.hostId);
        if (host.isEmpty()) {
            return s;
        }
        try {
            return convergence.apply(s, agents.get(host.get().address(), s.id.toString(), ASK_AGENT));
        } catch (AgentFailure unreachable) {
            return s; // the loop decides once the host has been silent long enough
        }
    }

    /** A session id from a path; anything but a UUID names no session. */
    public static UUID parse(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ErrorCode.SESSION_NOT_FOUND.exception("no session " + id);
        }
    }
}
