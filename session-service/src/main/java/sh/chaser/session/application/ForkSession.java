package sh.chaser.session.application;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import sh.chaser.common.grpc.AgentFailure;
import sh.chaser.common.persistence.Tx;
import sh.chaser.common.security.AccountLimits;
import sh.chaser.common.security.Actor;
import sh.chaser.session.domain.ErrorCode;
import sh.chaser.session.domain.TerminationReason;
import sh.chaser.session.persistence.PgLeaseRepository;
import sh.chaser.session.persistence.PgSessionRepository;
import sh.chaser.session.persistence.SessionEntity;

/**
 * POST /v1/sessions/{id}/fork {count}: new sessions started from a running or paused microVM
 * session's memory and disk, on its host. Each child is an ephemeral session of the parent's type
 * and image whose disk starts as a copy of the parent's; it is created (counted among the account's
 * concurrent sessions, announced) before the host is asked, and runs once the host has started it.
 * A running parent is paused for the copy and runs on: its open connections end (so they refuse it
 * unless {@code force}). A host that fails ends the children boot_failed; a crash in between leaves
 * them creating, and the host, which ended them, says so to the reconcile loop.
 */
@ApplicationScoped
public class ForkSession {

    /** Most children one call makes (each is a VM on the parent's host). */
    public static final int MAX_COUNT = 16;

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

    public List<SessionEntity> fork(Actor actor, AccountLimits limits, UUID id, Integer count, boolean force) {
        int n = count == null ? 1 : count;
        if (n < 1 || n > MAX_COUNT) {
            throw new sh.chaser.common.api.ServiceException(ErrorCode.INVALID_REQUEST,
                    "count must be 1 to " + MAX_COUNT, "count");
        }
        SessionEntity parent = Tx.read(() -> sessions.visible(actor.accountId(), id));
        if (parent == null) {
            throw ErrorCode.SESSION_NOT_FOUND.exception("no session " + id);
        }
        if (!"running".equals(parent.status) && !"paused".equals(parent.status)) {
            throw ErrorCode.SESSION_NOT_RUNNING.exception("session " + id + " is " + parent.status
                    + "; only a running or paused session can be forked");
        }
        if ("namespace".equals(parent.runtime)) {
            throw ErrorCode.UNSUPPORTED_FOR_RUNTIME.exception("a namespace session cannot be forked: a fork starts"
                    + " from a microVM's memory (runtime qemu)");
        }
        if ("running".equals(parent.status)) {
            long open = Tx.read(() -> leases.active(id, Tx.now()));
            if (open > 0 && !force) {
                throw ErrorCode.SESSION_HAS_ACTIVE_LEASES.exception("the session has " + open + " open connection(s);"
                        + " close them or pass force=true (the fork pauses it for a moment, which cuts them)");
            }
        }
        String address = placement.address(parent.hostId).orElseThrow(() -> ErrorCode.HOST_UNAVAILABLE
                .exception("the session's host " + parent.hostId + " is not heard from; retry shortly")).address();
        List<SessionEntity> children = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                children.add(states.insertCreating(child(actor, parent, limits), limits.concurrentSessions()));
            }
            agents.fork(address, id.toString(), children.stream().map(c -> c.id.toString()).toList());
        } catch (RuntimeException e) {
            // none is left: those made before the limit was reached or the host failed end boot_failed
            children.forEach(c -> states.terminate(c.id, TerminationReason.BOOT_FAILED, null));
            throw mapped(parent, e);
        }
        if ("running".equals(parent.status)) {
            Tx.run(() -> leases.endAll(id).replaceWithVoid()); // the pause for the copy cut them
        }
        List<SessionEntity> running = new ArrayList<>();
        for (SessionEntity c : children) {
            var outcome = states.markRunning(c.id, parent.runtime);
            running.add(outcome.session() == null ? c : outcome.session());
        }
        states.forked(parent, running.stream().map(c -> c.id).toList(), actor);
        return running;
    }

    private static SessionEntity child(Actor actor, SessionEntity parent, AccountLimits limits) {
        SessionEntity s = new SessionEntity();
        s.id = UUID.randomUUID();
        s.accountId = parent.accountId;
        s.sessionType = parent.sessionType;
        s.ephemeral = true;
        s.status = "creating";
        s.runtime = parent.runtime;
        s.hostId = parent.hostId;
        s.image = parent.image;
        s.forkedFrom = parent.id;
        s.createdByType = actor.type();
        s.createdById = actor.id();
        s.createdAt = Tx.now();
        s.idleTimeoutSeconds = limits.idleTimeoutSeconds();
        s.idleAction = limits.idleAction();
        return s;
    }

    /** The host's refusals in the API's words. */
    private static RuntimeException mapped(SessionEntity parent, RuntimeException e) {
        if (!(e instanceof AgentFailure f)) {
            return e;
        }
        return HostRefusals.of(f, "a " + parent.runtime + " session cannot be forked: " + f.getMessage());
    }
}
