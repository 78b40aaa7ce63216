package sh.chaser.workspace.application;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.UUID;
import sh.chaser.common.api.ServiceException;
import sh.chaser.common.grpc.AgentFailure;
import sh.chaser.common.persistence.Tx;
import sh.chaser.common.security.AccountLimits;
import sh.chaser.common.security.Actor;
import sh.chaser.workspace.domain.ErrorCode;
import sh.chaser.workspace.domain.SessionTypes;
import sh.chaser.workspace.domain.WorkspaceNames;
import sh.chaser.workspace.persistence.PgWorkspaceRepository;
import sh.chaser.workspace.persistence.WorkspaceEntity;

/** A fresh workspace (an empty disk on a host with room) or a clone of another one (on the source's host). */
@ApplicationScoped
public class CreateWorkspace {

    @Inject
    PgWorkspaceRepository workspaces;
    @Inject
    WorkspaceLookup lookup;
    @Inject
    Placement placement;
    @Inject
    WorkspaceLimits limits;
    @Inject
    DiskOperations operations;
    @Inject
    SessionEvictions evictions;
    @Inject
    HostDirectory hosts;
    @Inject
    DiskHosts agents;

    public WorkspaceEntity fresh(Actor actor, AccountLimits accountLimits, String sessionType, String name,
            String image, boolean template,
            String runtime) {
        String type = SessionTypes.require(sessionType);
        if (image != null && SessionTypes.BROWSER.equals(type)) {
            throw new ServiceException(ErrorCode.INVALID_REQUEST, "image is for sandbox workspaces only", "image");
        }
        if (image != null
                && (image.isBlank() || image.length() > 512 || image.chars().anyMatch(Character::isWhitespace))) {
            throw new ServiceException(ErrorCode.INVALID_REQUEST, "image must be an OCI image reference", "image");
        }
        String chosen = name == null ? WorkspaceNames.generate() : WorkspaceNames.requireForWorkspace(name, "name");
        String host = placement.forNewDisk(WorkspaceRuntimes.valid(runtime)).id();
        WorkspaceEntity w = newRow(actor.accountId(), chosen, type, image, template, host);
        w.begin("create", null, w.createdAt);
        insert(() -> limits.checkNew(actor.accountId(), accountLimits, 0).call(() -> workspaces.persist(w)), chosen);
        return done(operations.drive(w, actor), w.id);
    }

    public WorkspaceEntity cloneOf(Actor actor, AccountLimits accountLimits, String selector, String name,
            boolean force) {
        if (name != null) {
            WorkspaceNames.requireForWorkspace(name, "name");
        }
        WorkspaceEntity source = Tx.read(() -> lookup.resolve(actor.accountId(), selector));
        evictions.freeIfForced(source, force, "forced");
        long sourceBytes;
        try {
            sourceBytes = agents.usedBytes(hosts.require(source.hostId).address(), source.id.toString());
        } catch (AgentFailure f) {
            throw AgentErrors.toService(f, "reading the size of workspace " + source.displayName());
        }
        String chosen = name == null ? WorkspaceNames.generate() : name;
        UUID newId = UUID.randomUUID();
        WorkspaceEntity[] made = new WorkspaceEntity[1];
        insert(() -> workspaces.lock(source.id).flatMap(s -> {
            if (s == null || s.deletedAt != null) {
                throw WorkspaceLookup.notFound(selector);
            }
            SessionEvictions.requireIdle(s);
            SessionEvictions.requireFree(s);
            s.sizeBytes = sourceBytes;
            WorkspaceEntity w = newRow(actor.accountId(), chosen, s.sessionType, s.image, false, s.hostId);
            w.id = newId;
            w.sourceWorkspaceId = s.id;
            w.sizeBytes = sourceBytes;
            w.begin("clone", s.id.toString(), w.createdAt);
            made[0] = w;
            return limits.checkNew(actor.accountId(), accountLimits, sourceBytes).call(() -> workspaces.persist(w));
        }), chosen);
        return done(operations.drive(made[0], actor), newId);
    }

    static WorkspaceEntity newRow(UUID accountId, String name, String type, String image, boolean template,
            String host) {
        OffsetDateTime now = Tx.now();
        WorkspaceEntity w = new WorkspaceEntity();
        w.id = UUID.randomUUID();
        w.accountId = accountId;
        w.name = name;
        w.sessionType = type;
        w.status = "ready";
        w.image = image;
        w.template = template;
        w.hostId = host;
        w.createdAt = now;
        w.updatedAt = now;
        return w;
    }

    /** Runs the inserting transaction; the database's unique index decides between concurrent equal names. */
    static void insert(java.util.function.Supplier<io.smallrye.mutiny.Uni<?>> work, String name) {
        try {
            Tx.run(() -> work.get().replaceWithVoid());
        } catch (RuntimeException e) {
            if (UniqueViolations.of(e, "workspaces_account_name")) {
                throw ErrorCode.WORKSPACE_NAME_TAKEN
                        .exception("a workspace named \"" + name + "\" already exists in this account");
            }
            throw e;
        }
    }

    private WorkspaceEntity done(WorkspaceEntity driven, UUID id) {
        return driven != null ? driven : Tx.read(() -> workspaces.findById(id));
    }
}
