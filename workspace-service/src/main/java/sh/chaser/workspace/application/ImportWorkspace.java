package sh.chaser.workspace.application;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;
import sh.chaser.common.security.AccountLimits;
import sh.chaser.common.security.Actor;
import sh.chaser.workspace.domain.GithubRepos;
import sh.chaser.workspace.domain.SessionTypes;
import sh.chaser.workspace.domain.WorkspaceNames;
import sh.chaser.workspace.persistence.PgWorkspaceRepository;
import sh.chaser.workspace.persistence.WorkspaceEntity;

/**
 * A sandbox workspace filled from a Git repository: answered at once with {@code importing}, cloned
 * in the background into {@code /workspace}; {@code github_repo} stays on the workspace.
 */
@ApplicationScoped
public class ImportWorkspace {

    private static final Logger LOG = Logger.getLogger(ImportWorkspace.class);

    @Inject
    PgWorkspaceRepository workspaces;
    @Inject
    Placement placement;
    @Inject
    WorkspaceLimits limits;
    @Inject
    DiskOperations operations;

    private final ExecutorService background = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "workspace-import");
        t.setDaemon(true);
        return t;
    });

    public WorkspaceEntity start(Actor actor, AccountLimits accountLimits, String githubRepo, String name, String ref,
            String runtime) {
        String repo = GithubRepos.require(githubRepo);
        String gitRef = GithubRepos.ref(ref);
        String chosen = name == null ? WorkspaceNames.generate() : WorkspaceNames.requireForWorkspace(name, "name");
        String host = placement.forNewDisk(WorkspaceRuntimes.valid(runtime)).id();
        WorkspaceEntity w = CreateWorkspace.newRow(actor.accountId(), chosen, SessionTypes.SANDBOX, null, false, host);
        w.status = "importing";
        w.githubRepo = repo;
        w.begin("import", gitRef, w.createdAt);
        CreateWorkspace.insert(
                () -> limits.checkNew(actor.accountId(), accountLimits, 0).call(() -> workspaces.persist(w)), chosen);
        background.submit(() -> {
            try {
                operations.drive(w.id, actor);
            } catch (RuntimeException e) {
                LOG.warnf("import into workspace %s will be retried: %s", w.id, e.getMessage());
            }
        });
        return w;
    }

    @PreDestroy
    void stop() {
        background.shutdownNow();
    }
}
