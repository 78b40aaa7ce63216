package sh.chaser.session.application;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import sh.chaser.common.api.ServiceException;
import sh.chaser.common.persistence.Tx;
import sh.chaser.common.security.Actor;
import sh.chaser.session.domain.ErrorCode;
import sh.chaser.session.domain.TerminationReason;
import sh.chaser.session.persistence.PgLeaseRepository;
import sh.chaser.session.persistence.PgSessionRepository;
import sh.chaser.session.persistence.SessionEntity;

/**
 * DELETE /v1/sessions/{id} and bulk-terminate. The session is marked terminated first (event, audit),
 * then its VM destroyed and its workspace released, so a crash in between never leaves a VM that
 * looks wanted: the reconcile loop destroys VMs without a live session.
 */
@ApplicationScoped
public class TerminateSession {

    public record Failure(String id, String code, String message) {}

    public record BulkResult(List<String> terminated, List<Failure> failed) {}

    @Inject
    PgSessionRepository sessions;
    @Inject
    PgLeaseRepository leases;
    @Inject
    SessionStates states;
    @Inject
    Teardown teardown;
    @Inject
    WorkspaceLocks locks;

    /** Idempotent: a terminated session is answered as it is. */
    public SessionEntity terminate(Actor actor, UUID id, boolean force) {
        SessionEntity s = Tx.read(() -> sessions.visible(actor.accountId(), id));
        if (s == null) {
            throw ErrorCode.SESSION_NOT_FOUND.exception("no session " + id);
        }
        if (!s.live()) {
            return s;
        }
        long open = Tx.read(() -> leases.active(id, Tx.now()));
        if (open > 0 && !force) {
            throw ErrorCode.SESSION_HAS_ACTIVE_LEASES.exception("the session has " + open
                    + " open connection(s); close them or pass force=true");
        }
        var outcome = states.terminate(id, open > 0 ? TerminationReason.FORCED : TerminationReason.USER, actor);
        if (outcome.changed()) {
            teardown.after(outcome.session());
            return outcome.session();
        }
        return Tx.read(() -> sessions.findById(id));
    }

    public BulkResult bulk(Actor actor, List<String> ids, List<String> workspaces, boolean all, String sessionType,
            boolean force) {
        List<Failure> failed = new ArrayList<>();
        Set<UUID> targets = new LinkedHashSet<>();
        for (String raw : ids) {
            try {
                targets.add(UUID.fromString(raw));
            } catch (IllegalArgumentException e) {
                failed.add(new Failure(raw, ErrorCode.SESSION_NOT_FOUND.code(), "no session " + raw));
            }
        }
        List<SessionEntity> live = Tx.read(() -> sessions.live(actor.accountId()));
        for (String selector : workspaces) {
            try {
                UUID workspaceId = locks.resolve(actor.accountId(), selector);
                live.stream().filter(s -> workspaceId.equals(s.workspaceId)).forEach(s -> targets.add(s.id));
            } catch (ServiceException e) {
                failed.add(new Failure(selector, e.code().code(), e.getMessage()));
            }
        }
        if (all) {
            live.forEach(s -> targets.add(s.id));
        }
        List<String> terminated = new ArrayList<>();
        for (UUID id : targets) {
            try {
                SessionEntity s = Tx.read(() -> sessions.visible(actor.accountId(), id));
                if (s != null && sessionType != null && !sessionType.equals(s.sessionType)) {
                    continue;
                }
                terminate(actor, id, force);
                terminated.add(id.toString());
            } catch (ServiceException e) {
                failed.add(new Failure(id.toString(), e.code().code(), e.getMessage()));
            }
        }
        return new BulkResult(terminated, failed);
    }
}
