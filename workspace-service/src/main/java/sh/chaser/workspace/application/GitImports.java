package sh.chaser.workspace.application;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;
import sh.chaser.common.grpc.AgentFailure;
import sh.chaser.common.messaging.Audit;
import sh.chaser.common.persistence.Tx;
import sh.chaser.common.security.Actor;
import sh.chaser.contracts.ErrorCatalog;
import sh.chaser.proto.errors.v1.ErrorReason;
import sh.chaser.workspace.messaging.WorkspaceEvents;
import sh.chaser.workspace.persistence.PgWorkspaceRepository;
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
    DiskHosts agents;

    void run(WorkspaceEntity w, Actor actor) {
        String id = w.id.toString();
        String address = hosts.require(w.hostId).address();
        long size;
        try {
            agents.create(address, id);
            int[] lastLogged = { -10 };
            String[] lastPhase = { "" };
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
            record(w.id, w.operationStartedAt, actor,
                    new Outcome("failed", reason(f, w.githubRepo, w.operationArg), code(f), 0));
            return;
        }
        LOG.infof("import of %s into workspace %s done (%d bytes)", w.githubRepo, id, size);
        record(w.id, w.operationStartedAt, actor, new Outcome("ready", null, null, size));
    }

    /** How an import ended: its status, and for a failure why (a sentence and its stable code). */
    private record Outcome(String status, String reason, String code, long size) {}

    private void record(UUID id, OffsetDateTime started, Actor actor, Outcome outcome) {
        String status = outcome.status();
        String reason = outcome.reason();
        Tx.run(() -> workspaces.lockIfCarrying(id, "import", started).flatMap(w -> {
            if (w == null) {
                return Uni.createFrom().voidItem();
            }
            w.status = status;
            w.failureReason = reason;
            w.failureCode = outcome.code();
            w.sizeBytes = outcome.size();
            w.finish(Tx.now());
            return events.changed(w, "ready".equals(status) ? "imported" : "import_failed")
                    .call(() -> audit.success(actor, "workspace.import", "workspace", w.id.toString(),
                            ("ready".equals(status) ? "imported " : "import failed: ") + w.githubRepo,
                            reason == null
                                    ? Map.of("github_repo", w.githubRepo)
                                    : Map.of("github_repo", w.githubRepo, "failure_reason", reason)));
        }));
    }

    /** The agent's git codes pass as they are; anything else is the import's own failure. */
    private static String code(AgentFailure f) {
        return switch (f.reason()) {
            case GIT_REPOSITORY_NOT_FOUND, GIT_REF_NOT_FOUND, GIT_UNREACHABLE, DISK_IN_USE -> f.code();
            default -> ErrorCatalog.of(ErrorReason.GIT_IMPORT_FAILED).code();
        };
    }

    private static String reason(AgentFailure f, String repo, String ref) {
        return switch (f.reason()) {
            case GIT_REPOSITORY_NOT_FOUND -> "repository " + repo + " was not found";
            case GIT_REF_NOT_FOUND -> "ref " + ref + " was not found in " + repo;
            case GIT_UNREACHABLE -> "the git server could not be reached";
            case DISK_IN_USE -> "a session had the disk attached";
            default -> "the repository could not be cloned";
        };
    }
}
