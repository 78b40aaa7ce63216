package sh.chaser.session.application;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
        return terminateLive(actor, s, open, force);
    }

    /** @param open the session's open connection leases, as read by the caller */
    private SessionEntity terminateLive(Actor actor, SessionEntity s, long open, boolean force) {
        if (open > 0 && !force) {
            throw ErrorCode.SESSION_HAS_ACTIVE_LEASES.exception("the session has " + open
                    + " open connection(s); close them or pass force=true");
        }
        var outcome = states.terminate(s.id, open > 0 ? TerminationReason.FORCED : TerminationReason.USER, actor);
        if (outcome.changed()) {
            teardown.after(outcome.session());
            return outcome.session();
        }
        return Tx.read(() -> sessions.findById(s.id));
    }

    /** Terminates of one bulk request in flight at once, across all requests of this instance. */
    private static final java.util.concurrent.ExecutorService BULK = java.util.concurrent.Executors
            .newFixedThreadPool(8, r -> {
                Thread t = new Thread(r, "bulk-terminate");
                t.setDaemon(true);
                return t;
            });

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
        // the live ones as read above, and their leases in one read, not two reads per session
        Map<UUID, SessionEntity> liveById = new HashMap<>();
        live.stream().filter(s -> targets.contains(s.id)).forEach(s -> liveById.put(s.id, s));
        Map<UUID, Long> open = Tx.read(() -> leases.activeBySession(liveById.keySet(), Tx.now()));
        // several at once: each waits mostly on its host's Destroy and the database, not on a core
        List<java.util.concurrent.Future<BulkOne>> outcomes = targets.stream()
                .map(id -> BULK.submit(() -> terminateOne(actor, id, liveById.get(id), open.getOrDefault(id, 0L),
                        sessionType, force)))
                .toList();
        List<String> terminated = new ArrayList<>();
        for (var outcome : outcomes) {
            BulkOne one = await(outcome);
            if (one.failure() != null) {
                failed.add(one.failure());
            } else if (one.terminated()) {
                terminated.add(one.id().toString());
            }
        }
        return new BulkResult(terminated, failed);
    }

    /** One session of a bulk terminate: terminated, skipped (another session type), or failed. */
    private record BulkOne(UUID id, boolean terminated, Failure failure) {}

    /** @param live the session when it was live in the bulk's read, else null (read again here) */
    private BulkOne terminateOne(Actor actor, UUID id, SessionEntity live, long open, String sessionType,
            boolean force) {
        try {
            SessionEntity s = live != null ? live : Tx.read(() -> sessions.visible(actor.accountId(), id));
            if (s != null && sessionType != null && !sessionType.equals(s.sessionType)) {
                return new BulkOne(id, false, null);
            }
            if (live != null) {
                terminateLive(actor, live, open, force);
            } else {
                terminate(actor, id, force);
            }
            return new BulkOne(id, true, null);
        } catch (ServiceException e) {
            return new BulkOne(id, false, new Failure(id.toString(), e.code().code(), e.getMessage()));
        }
    }

    private static BulkOne await(java.util.concurrent.Future<BulkOne> outcome) {
        try {
            return outcome.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }
}
