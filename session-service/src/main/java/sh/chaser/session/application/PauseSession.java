package sh.chaser.session.application;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;
import sh.chaser.common.grpc.AgentFailure;
import sh.chaser.common.persistence.Tx;
import sh.chaser.common.security.AccountLimits;
import sh.chaser.common.security.Actor;
import sh.chaser.session.domain.ErrorCode;
import sh.chaser.session.persistence.PgLeaseRepository;
import sh.chaser.session.persistence.PgSessionRepository;
import sh.chaser.session.persistence.SessionEntity;

/**
 * POST /v1/sessions/{id}/pause and /resume. The host pauses or resumes the VM first (idempotent by
 * session id there), then the row changes: a crash in between is found by the reconcile loop, which
 * takes the host's word ({@link Convergence}). A resume takes its place among the account's
 * concurrent sessions before it asks the host (status resuming); a paused ephemeral session whose
 * host is full moves to one with room first ({@link SessionMoves}).
 */
@ApplicationScoped
public class PauseSession {

    @Inject
    PgSessionRepository sessions;
    @Inject
    PgLeaseRepository leases;
    @Inject
    SessionStates states;
    @Inject
    Placement placement;
    @Inject
    VmAgents agents;
    @Inject
    SessionMoves moves;

    /** Idempotent: a paused session is answered as it is. Open connections refuse it unless {@code force}. */
    public SessionEntity pause(Actor actor, UUID id, boolean force) {
        SessionEntity s = visible(actor, id);
        if ("paused".equals(s.status)) {
            return s;
        }
        if (!"running".equals(s.status)) {
            throw ErrorCode.SESSION_NOT_RUNNING.exception("session " + id + " is " + s.status + "; only a running"
                    + " session can be paused");
        }
        long open = Tx.read(() -> leases.active(id, Tx.now()));
        if (open > 0 && !force) {
            throw ErrorCode.SESSION_HAS_ACTIVE_LEASES.exception("the session has " + open
                    + " open connection(s); close them or pass force=true (a pause cuts them)");
        }
        call(s, () -> agents.pause(address(s), id.toString()));
        var outcome = states.markPaused(id, actor);
        return outcome.session() == null ? s : outcome.session();
    }

    /**
     * The idle timeout of a session whose account pauses idle sessions: the platform pauses it (audited
     * as the service). Its open connections count as use, so it has none.
     *
     * @return the paused session; null when it cannot be paused (another runtime, or the host refused)
     * @throws sh.chaser.common.api.ServiceException host_unavailable: try again on the next pass
     */
    public SessionEntity pauseIdle(SessionEntity s) {
        try {
            call(s, () -> agents.pause(address(s), s.id.toString()));
        } catch (sh.chaser.common.api.ServiceException e) {
            if (e.code() == ErrorCode.HOST_UNAVAILABLE) {
                throw e;
            }
            return null;
        }
        var outcome = states.markPaused(s.id, null);
        return outcome.session() == null ? s : outcome.session();
    }

    /** Idempotent: a running session is answered as it is. */
    public SessionEntity resume(Actor actor, AccountLimits limits, UUID id) {
        SessionEntity s = visible(actor, id);
        if ("running".equals(s.status)) {
            return s;
        }
        if (!"paused".equals(s.status) && !"resuming".equals(s.status)) {
            throw ErrorCode.SESSION_NOT_RUNNING.exception("session " + id + " is " + s.status
                    + "; only a paused session can be resumed");
        }
        if ("paused".equals(s.status)) {
            var resuming = states.markResuming(id, limits.concurrentSessions());
            s = resuming.session() == null ? s : resuming.session();
        }
        SessionEntity placed = moves.placeForResume(s);
        try {
            call(placed, () -> agents.resume(address(placed), id.toString()));
        } catch (RuntimeException e) {
            states.resumeFailed(id);
            throw e;
        }
        var outcome = states.markResumed(id, actor);
        return outcome.session() == null ? Tx.read(() -> sessions.findById(id)) : outcome.session();
    }

    private SessionEntity visible(Actor actor, UUID id) {
        SessionEntity s = Tx.read(() -> sessions.visible(actor.accountId(), id));
        if (s == null) {
            throw ErrorCode.SESSION_NOT_FOUND.exception("no session " + id);
        }
        return s;
    }

    private String address(SessionEntity s) {
        return placement.address(s.hostId).orElseThrow(() -> ErrorCode.HOST_UNAVAILABLE
                .exception("the session's host " + s.hostId + " is not heard from; retry shortly")).address();
    }

    /** The host's refusals in the API's words. */
    private static void call(SessionEntity s, Runnable call) {
        try {
            call.run();
        } catch (AgentFailure f) {
            throw HostRefusals.of(f, "a " + s.runtime
                    + " session cannot be paused: pause and resume need a microVM (runtime qemu)");
        }
    }
}
