package sh.chaser.workspace.application;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import sh.chaser.common.messaging.Audit;
import sh.chaser.common.persistence.Tx;
import sh.chaser.common.security.Actor;
import sh.chaser.workspace.domain.ErrorCode;
import sh.chaser.workspace.domain.SessionTypes;
import sh.chaser.workspace.persistence.DefaultWorkspaceEntity;
import sh.chaser.workspace.persistence.PgDefaultWorkspaceRepository;
import sh.chaser.workspace.persistence.PgWorkspaceRepository;
import sh.chaser.workspace.persistence.WorkspaceEntity;

/**
 * An account's default workspace per session type: where a request that names no workspace runs
 * (POST /v1/exec, MCP's tools, ssh). A deleted workspace is nobody's default.
 */
@ApplicationScoped
public class DefaultWorkspaces {

    /** A default and its workspace. */
    public record Entry(String sessionType, WorkspaceEntity workspace, java.time.OffsetDateTime setAt) {}

    @Inject
    PgDefaultWorkspaceRepository defaults;
    @Inject
    PgWorkspaceRepository workspaces;
    @Inject
    WorkspaceLookup lookup;
    @Inject
    Audit audit;

    /** @param sessionType null for both */
    public Uni<List<Entry>> list(UUID accountId, String sessionType) {
        Uni<List<DefaultWorkspaceEntity>> rows = sessionType == null
                ? defaults.of(accountId)
                : defaults.of(accountId, SessionTypes.require(sessionType))
                        .map(d -> d == null ? List.of() : List.of(d));
        return rows.flatMap(found -> {
            List<Entry> entries = new ArrayList<>();
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (DefaultWorkspaceEntity d : found) {
                chain = chain.chain(() -> workspaces.live(accountId, d.workspaceId).invoke(w -> {
                    if (w != null) {
                        entries.add(new Entry(d.sessionType, w, d.setAt));
                    }
                })).replaceWithVoid();
            }
            return chain.map(v -> entries);
        });
    }

    /** The default workspace of this type, or null. */
    public Uni<WorkspaceEntity> of(UUID accountId, String sessionType) {
        return list(accountId, sessionType).map(entries -> entries.isEmpty() ? null : entries.get(0).workspace());
    }

    public Entry set(Actor actor, String sessionType, String selector) {
        SessionTypes.require(sessionType);
        return Tx.run(() -> lookup.resolve(actor.accountId(), selector).flatMap(w -> {
            if (!w.sessionType.equals(sessionType)) {
                throw ErrorCode.SESSION_TYPE_MISMATCH.exception("workspace " + w.displayName() + " is a "
                        + w.sessionType + " workspace, not a " + sessionType + " one");
            }
            var now = Tx.now();
            return defaults.of(actor.accountId(), sessionType).flatMap(existing -> {
                DefaultWorkspaceEntity d = existing == null ? new DefaultWorkspaceEntity() : existing;
                d.accountId = actor.accountId();
                d.sessionType = sessionType;
                d.workspaceId = w.id;
                d.setAt = now;
                return defaults.persist(d);
            }).call(d -> audit.success(actor, "workspace.default.set", "workspace", w.id.toString(),
                    "made " + w.displayName() + " the default " + sessionType + " workspace",
                    Map.of("session_type", sessionType))).map(d -> new Entry(sessionType, w, now));
        }));
    }

    /** @return whether there was one */
    public boolean clear(Actor actor, String sessionType) {
        SessionTypes.require(sessionType);
        return Tx.run(() -> defaults.clear(actor.accountId(), sessionType).call(n -> n == 0
                ? Uni.createFrom().voidItem()
                : audit.success(actor, "workspace.default.clear", "account", actor.accountId().toString(),
                        "cleared the default " + sessionType + " workspace", Map.of("session_type", sessionType)))) > 0;
    }
}
