package sh.chaser.workspace.application;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import sh.chaser.common.messaging.Audit;
import sh.chaser.common.persistence.Tx;
import sh.chaser.common.security.Actor;
import sh.chaser.workspace.domain.WorkspaceNames;
import sh.chaser.workspace.messaging.WorkspaceEvents;
import sh.chaser.workspace.persistence.PgWorkspaceRepository;
import sh.chaser.workspace.persistence.WorkspaceEntity;

/** Name and template flag: metadata only, no disk work. */
@ApplicationScoped
public class UpdateWorkspace {

    @Inject
    PgWorkspaceRepository workspaces;
    @Inject
    WorkspaceLookup lookup;
    @Inject
    WorkspaceEvents events;
    @Inject
    Audit audit;

    /** @param name the new name, or null to clear it (the id is then the display name) */
    public WorkspaceEntity rename(Actor actor, String selector, String name) {
        if (name != null) {
            WorkspaceNames.requireForWorkspace(name, "name");
        }
        WorkspaceEntity[] result = new WorkspaceEntity[1];
        CreateWorkspace.insert(() -> lookup.resolve(actor.accountId(), selector)
                .flatMap(found -> workspaces.lock(found.id)).flatMap(w -> {
                    String before = w.name;
                    w.name = name;
                    w.updatedAt = Tx.now();
                    result[0] = w;
                    return events.changed(w, "renamed").call(() -> audit.success(actor, "workspace.name.update",
                            "workspace", w.id.toString(), name == null ? "cleared the name" : "named it " + name,
                            before == null ? Map.of() : Map.of("previous_name", before)));
                }), name);
        return result[0];
    }

    public WorkspaceEntity template(Actor actor, String selector, boolean template) {
        return Tx.run(() -> lookup.resolve(actor.accountId(), selector).flatMap(found -> workspaces.lock(found.id))
                .call(w -> {
                    w.template = template;
                    w.updatedAt = Tx.now();
                    return events.changed(w, "template_changed").call(() -> audit.success(actor,
                            "workspace.template.update", "workspace", w.id.toString(),
                            template ? "made it a template" : "made it a regular workspace", Map.of()));
                }));
    }
}
