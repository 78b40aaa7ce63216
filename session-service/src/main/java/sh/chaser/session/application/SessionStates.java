package sh.chaser.session.application;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import sh.chaser.common.api.LimitExceeded;
import sh.chaser.common.messaging.Audit;
import sh.chaser.common.persistence.AccountLock;
import sh.chaser.common.persistence.Tx;
import sh.chaser.common.security.AccountLimits;
import sh.chaser.common.security.Actor;
import sh.chaser.session.domain.ErrorCode;
import sh.chaser.session.persistence.PgLeaseRepository;
import sh.chaser.session.persistence.PgSessionRepository;
import sh.chaser.session.persistence.SessionEntity;

/**
 * The session state machine: reserved → creating → running → terminated (creating may end directly);
 * running ⇄ paused (paused → resuming → running; a resuming session counts towards the limit again).
 * Every live status may end.
 * Each transition is one transaction under the row lock that writes its event, and its audit entry
 * for create and terminate; a transition that no longer applies changes nothing.
 */
@ApplicationScoped
public class SessionStates {

    public static final String SERVICE = "session-service";

    /** @param changed false when the session had already left the state the transition starts from */
    public record Outcome(SessionEntity session, boolean changed) {}

    @Inject
    PgSessionRepository sessions;
    @Inject
    PgLeaseRepository leases;
    @Inject
    StateEvents events;
    @Inject
    Audit audit;

    /**
     * A new session that is already placed (ephemeral): creating, announced.
     *
     * @param concurrentLimit how many sessions the account may have creating or running
     */
    public SessionEntity insertCreating(SessionEntity s, int concurrentLimit) {
        return Tx.run(() -> withinLimit(s.accountId, concurrentLimit)
                .chain(() -> sessions.persist(s)).flatMap(saved -> announced(saved)));
    }

    /** A reserved workspace session whose lock is taken and host known: creating, announced. */
    public Outcome announce(UUID id, UUID workspaceId, String hostId, String image, int concurrentLimit) {
        return Tx.run(() -> sessions.lock(id).flatMap(s -> {
            if (s == null || !"reserved".equals(s.status)) {
                return Uni.createFrom().item(new Outcome(s, false));
            }
            return withinLimit(s.accountId, concurrentLimit).chain(() -> {
                s.workspaceId = workspaceId;
                s.hostId = hostId;
                s.image = image;
                s.status = "creating";
                // created when announced, not when reserved: taking the workspace lock may have been slow,
                // and a creating session's age is what the reconcile loop judges a crash by
                s.createdAt = Tx.now();
                return announced(s).map(a -> new Outcome(a, true));
            });
        }));
    }

    public Outcome markRunning(UUID id, String runtime) {
        return Tx.run(() -> sessions.lock(id).flatMap(s -> {
            if (s == null || !"creating".equals(s.status)) {
                return Uni.createFrom().item(new Outcome(s, false));
            }
            s.previousStatus = s.status;
            s.status = "running";
            s.runtime = runtime.isEmpty() ? s.runtime : runtime;
            s.runningAt = Tx.now();
            return events.changed(s).map(v -> new Outcome(s, true));
        }));
    }

    /** running → paused, once its host holds the VM paused; its leases end (their connections did). */
    public Outcome markPaused(UUID id, Actor actor) {
        return transition(id, "running", "paused", actor, "session.pause", "paused the session");
    }

    /** paused → resuming, within the account's concurrent sessions (a resumed session counts again). */
    public Outcome markResuming(UUID id, int concurrentLimit) {
        return Tx.run(() -> sessions.lock(id).flatMap(s -> {
            if (s == null || !"paused".equals(s.status)) {
                return Uni.createFrom().item(new Outcome(s, false));
            }
            return withinLimit(s.accountId, concurrentLimit).chain(() -> {
                s.previousStatus = s.status;
                s.status = "resuming";
                return events.changed(s).map(v -> new Outcome(s, true));
            });
        }));
    }

    /** resuming → running, once its host runs the VM again. */
    public Outcome markResumed(UUID id, Actor actor) {
        return transition(id, "resuming", "running", actor, "session.resume", "resumed the session");
    }

    /** A resuming session's paused VM now lives on {@code to} (copied there from the full {@code from}). */
    public Outcome movedTo(UUID id, String from, String to) {
        return Tx.run(() -> sessions.lock(id).flatMap(s -> {
            if (s == null || !"resuming".equals(s.status) || !from.equals(s.hostId)) {
                return Uni.createFrom().item(new Outcome(s, false));
            }
            s.hostId = to;
            return audit.success(Actor.system(s.accountId, SERVICE), "session.move", "session", s.id.toString(),
                    "moved the paused session to another host", Map.of("from_host", from, "host", to))
                    .map(v -> new Outcome(s, true));
        }));
    }

    /** resuming → paused: the host could not run it again; it stays paused. */
    public Outcome resumeFailed(UUID id) {
        return Tx.run(() -> sessions.lock(id).flatMap(s -> {
            if (s == null || !"resuming".equals(s.status)) {
                return Uni.createFrom().item(new Outcome(s, false));
            }
            s.previousStatus = s.status;
            s.status = "paused";
            return events.changed(s).map(v -> new Outcome(s, true));
        }));
    }

    private Outcome transition(UUID id, String from, String to, Actor actor, String action, String summary) {
        return Tx.run(() -> sessions.lock(id).flatMap(s -> {
            if (s == null || !from.equals(s.status)) {
                return Uni.createFrom().item(new Outcome(s, false));
            }
            s.previousStatus = s.status;
            s.status = to;
            Actor by = actor != null ? actor : Actor.system(s.accountId, SERVICE);
            return leases.endAll(s.id).flatMap(n -> events.changed(s))
                    .flatMap(v -> audit.success(by, action, "session", s.id.toString(), summary,
                            Map.of("host", s.hostId == null ? "" : s.hostId)))
                    .map(v -> new Outcome(s, true));
        }));
    }

    /**
     * Ends a live session with {@code reason}; its leases end with it.
     *
     * @param actor who asked, or null when the platform itself ended it (audited as the service)
     */
    public Outcome terminate(UUID id, String reason, Actor actor) {
        return Tx.run(() -> sessions.lock(id).flatMap(s -> {
            if (s == null || !s.live()) {
                return Uni.createFrom().item(new Outcome(s, false));
            }
            s.previousStatus = s.status;
            s.status = "terminated";
            s.terminationReason = reason;
            s.terminatedAt = Tx.now();
            s.workspaceReleased = s.workspaceId == null; // given back once the VM is gone (Teardown)
            Actor by = actor != null ? actor : Actor.system(s.accountId, SERVICE);
            return leases.endAll(s.id).flatMap(n -> events.changed(s))
                    .flatMap(v -> audit.success(by, "session.terminate", "session", s.id.toString(),
                            "terminated " + s.sessionType + " session (" + reason + ")",
                            Map.of("reason", reason, "workspace_id",
                                    s.workspaceId == null ? "" : s.workspaceId.toString())))
                    .map(v -> new Outcome(s, true));
        }));
    }

    /** The audit entry of a fork, on the parent: who forked it into which sessions. */
    public void forked(SessionEntity parent, java.util.List<UUID> children, Actor actor) {
        Tx.run(() -> audit.success(actor, "session.fork", "session", parent.id.toString(),
                "forked the session into " + children.size(),
                Map.of("children", children.stream().map(UUID::toString).toList(), "host",
                        parent.hostId == null ? "" : parent.hostId)));
    }

    /** Serialised per account (advisory lock until the transaction ends),
            so two creates cannot both take the last place. */
    private Uni<Void> withinLimit(UUID accountId, int limit) {
        return AccountLock.hold(accountId).chain(() -> sessions.countLive(accountId)).invoke(live -> {
            if (live >= limit) {
                throw LimitExceeded.of(ErrorCode.LIMIT_EXCEEDED, AccountLimits.CONCURRENT_SESSIONS,
                        "the account has " + live + " of its " + limit + " concurrent sessions; terminate one first");
            }
        }).replaceWithVoid();
    }

    /** Drops a reservation that never became a session (lock refused, or the workspace already had one). */
    public void dropReservation(UUID id) {
        Tx.run(() -> sessions.delete("id = ?1 and status = 'reserved'", id));
    }

    private Uni<SessionEntity> announced(SessionEntity s) {
        Actor by = new Actor(s.accountId, s.createdByType, s.createdById);
        return events.changed(s).flatMap(v -> audit.success(by, "session.create", "session", s.id.toString(),
                "created " + (s.ephemeral ? "ephemeral " : "") + s.sessionType + " session",
                Map.of("ephemeral", s.ephemeral, "workspace_id", s.workspaceId == null ? "" : s.workspaceId.toString(),
                        "host", s.hostId == null ? "" : s.hostId)))
                .replaceWith(s);
    }
}
