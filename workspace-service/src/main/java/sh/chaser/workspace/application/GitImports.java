package sh.chaser.workspace.application;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;
import sh.chaser.common.messaging.Audit;
import sh.chaser.common.security.Actor;
import sh.chaser.workspace.grpc.AgentDisks;
import sh.chaser.common.grpc.AgentFailure;
import sh.chaser.workspace.grpc.HostDirectory;
import sh.chaser.workspace.messaging.WorkspaceEvents;
import sh.chaser.workspace.persistence.PgWorkspaceRepository;
import sh.chaser.common.persistence.Tx;
import sh.chaser.workspace.persistence.WorkspaceEntity;

/** Clones a repository into an importing workspace's disk and records {@code ready} or {@code failed}. */
@ApplicationScoped
public class GitImports {

    private static final Logger LOG = Logger.getLogger(GitImports.class);

    @Inject
    PgWorkspaceRepository workspaces;
    @Inject
    WorkspaceEvents events;
    @Inject
    Audit audit;
    @Inject
    HostDirectory hosts;
    @Inject
    AgentDisks agents;

    void run(WorkspaceEntity w, Actor actor) {
        String id = w.id.toString();
        String address = hosts.require(w.hostId).address();
        long size;
        try {
            agents.create(address, id);
            int[] lastLogged = {-10};
            String[] lastPhase = {""};
            agents.importGit(address, id, w.githubRepo, w.operationArg, p -> {
                if (!p.getPhase().equals(lastPhase[0]) || p.getPercent() >= lastLogged[0] + 10) {
                    lastPhase[0] = p.getPhase();
                    lastLogged[0] = p.getPercent();
                    LOG.infof("import of %s into workspace %s: %s %s", w.githubRepo, id, p.getPhase(),
                            p.getPercent() < 0 ? "" : p.getPercent() + "%");
                }
            });
            size = agents.usedBytes(address, id);
        } catch (AgentFailure f) {
            if (f.unreachable()) {
                LOG.warnf("import into workspace %s paused: its host did not answer; the reconcile loop retries", id);
                return;
            }
            LOG.infof("import of %s into workspace %s failed: %s (%s)", w.githubRepo, id, f.getMessage(), f.code());
            record(w.id, w.operationStartedAt, actor, "failed", reason(f, w.githubRepo, w.operationArg), 0);
            return;
        }
        LOG.infof("import of %s into workspace %s done (%d bytes)", w.githubRepo, id, size);
        record(w.id, w.operationStartedAt, actor, "ready", null, size);
    }

    private void record(UUID id, OffsetDateTime started, Actor actor, String status, String reason, long size) {
        Tx.run(() -> workspaces.lockIfCarrying(id, "import", started).flatMap(w -> {
            if (w == null) {
                return Uni.createFrom().voidItem();
            }
            w.status = status;
            w.failureReason = reason;
            w.sizeBytes = size;
            w.finish(Tx.now());
            return events.changed(w, "ready".equals(status) ? "imported" : "import_failed")
                    .call(() -> audit.success(actor, "workspace.import", "workspace", w.id.toString(),
                            ("ready".equals(status) ? "imported " : "import failed: ") + w.githubRepo,
                            reason == null ? Map.of("github_repo", w.githubRepo)
                                    : Map.of("github_repo", w.githubRepo, "failure_reason", reason)));
        }));
    }

    private static String reason(AgentFailure f, String repo, String ref) {
        return switch (f.code()) {
            case "git_repository_not_found" -> "repository " + repo + " was not found";
            case "git_ref_not_found" -> "ref " + ref + " was not found in " + repo;
            case "git_unreachable" -> "the git server could not be reached";
            case "disk_in_use" -> "a session had the disk attached";
            default -> "the repository could not be cloned";
        };
    }
}
