package sh.chaser.session.application;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import sh.chaser.common.api.ServiceException;
import sh.chaser.common.persistence.Tx;
import sh.chaser.common.security.AccountLimits;
import sh.chaser.common.security.Actor;
import sh.chaser.proto.workspace.v1.AcquireWorkspaceResponse;
import sh.chaser.session.domain.CreateRules;
import sh.chaser.session.domain.ErrorCode;
import sh.chaser.session.persistence.PgSessionRepository;
import sh.chaser.session.persistence.SessionEntity;

/**
 * POST /v1/sessions. A workspace session is first reserved (a hidden row), then the workspace lock is
 * taken for its id, then it is announced (creating, event, audit) and booted; a crash between any two
 * steps leaves a row the reconcile loop finishes or undoes. A workspace that already has a live
 * session answers with that session instead.
 */
@ApplicationScoped
public class CreateSession {

    /** @param fresh false when an existing session of the workspace was returned */
    public record Created(SessionEntity session, boolean fresh) {}

    @Inject
    PgSessionRepository sessions;
    @Inject
    SessionStates states;
    @Inject
    Placement placement;
    @Inject
    WorkspaceLocks locks;
    @Inject
    BootSession booter;
    @Inject
    Teardown teardown;

    /** @param limits the account's limits: concurrent sessions here, storage by workspace-service's lock */
    public Created create(Actor actor, AccountLimits limits, CreateRules.Checked request) {
        return request.ephemeral() ? ephemeral(actor, limits, request) : forWorkspace(actor, limits, request);
    }

    private Created ephemeral(Actor actor, AccountLimits limits, CreateRules.Checked request) {
        String runtime = placement.runtimeFor(request.runtime());
        Placement.Host host = placement.forEphemeral(runtime);
        SessionEntity s = row(actor, request, "creating", limits);
        s.runtime = runtime;
        s.hostId = host.id();
        s.image = request.image();
        states.insertCreating(s, limits.concurrentSessions());
        return new Created(booter.boot(s, host, request.env()), true);
    }

    private Created forWorkspace(Actor actor, AccountLimits limits, CreateRules.Checked request) {
        SessionEntity reserved = row(actor, request, "reserved", limits);
        reserved.runtime = placement.runtimeFor(request.runtime());
        reserved.workspaceSelector = request.workspace();
        Tx.run(() -> sessions.persist(reserved));
        try {
            for (int attempt = 0; attempt < 3; attempt++) {
                AcquireWorkspaceResponse lock = locks.acquire(actor.accountId(), request.workspace(),
                        request.sessionType(), reserved.id, limits);
                UUID workspaceId = UUID.fromString(lock.getWorkspaceId());
                if (!lock.getAcquired()) {
                    SessionEntity holder = awaitAnnounced(UUID.fromString(lock.getExistingSessionId()));
                    if (holder != null && holder.live()) {
                        states.dropReservation(reserved.id);
                        return new Created(holder, false);
                    }
                    if (holder != null && "reserved".equals(holder.status)) {
                        // another create still holds it without having announced: never take it from under it
                        throw ErrorCode.WORKSPACE_BUSY.exception("another session is being created on this workspace;"
                                + " retry shortly");
                    }
                    // the holder ended and its teardown has not given the workspace back yet: finish it
                    // (its VM destroyed first); or it never became a session: nothing runs, give it back
                    if (holder != null) {
                        teardown.finish(holder);
                    } else {
                        locks.release(actor.accountId(), workspaceId, UUID.fromString(lock.getExistingSessionId()));
                    }
                    continue;
                }
                Placement.Host host;
                try {
                    host = placement.forWorkspace(lock.getHostId(), reserved.runtime);
                } catch (ServiceException e) {
                    locks.release(actor.accountId(), workspaceId, reserved.id);
                    throw e;
                }
                SessionStates.Outcome announced;
                try {
                    announced = states.announce(reserved.id, workspaceId, host.id(), emptyToNull(lock.getImage()),
                            limits.concurrentSessions());
                } catch (ServiceException e) {
                    locks.release(actor.accountId(), workspaceId, reserved.id);
                    throw e;
                }
                if (!announced.changed()) {
                    throw ErrorCode.INTERNAL.exception("the session's reservation expired before it was placed; retry");
                }
                return new Created(booter.boot(announced.session(), host, request.env()), true);
            }
            throw ErrorCode.WORKSPACE_BUSY.exception("the workspace's session is changing; retry shortly");
        } catch (RuntimeException e) {
            states.dropReservation(reserved.id);
            throw e;
        }
    }

    /** The session holding a lock; a concurrent create's reservation is waited for (a few seconds at most). */
    private SessionEntity awaitAnnounced(UUID id) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            SessionEntity s = Tx.read(() -> sessions.findById(id));
            if (s == null || !"reserved".equals(s.status) || System.nanoTime() > deadline) {
                return s;
            }
            LockSupport.parkNanos(20_000_000);
        }
    }

    private static SessionEntity row(Actor actor, CreateRules.Checked request, String status, AccountLimits limits) {
        SessionEntity s = new SessionEntity();
        s.id = UUID.randomUUID();
        s.accountId = actor.accountId();
        s.sessionType = request.sessionType();
        s.ephemeral = request.ephemeral();
        s.status = status;
        s.createdByType = actor.type();
        s.createdById = actor.id();
        s.createdAt = Tx.now();
        s.idleTimeoutSeconds = limits.idleTimeoutSeconds();
        s.idleAction = limits.idleAction();
        return s;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
