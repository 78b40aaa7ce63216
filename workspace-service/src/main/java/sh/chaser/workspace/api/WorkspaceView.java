package sh.chaser.workspace.api;

import java.time.OffsetDateTime;
import java.util.UUID;
import sh.chaser.workspace.persistence.WorkspaceEntity;

/** WorkspaceInfo of API.md section 5. */
public record WorkspaceView(UUID id, String name, String displayName, String sessionType, String status,
        String failureReason, String failureCode, String image, boolean template, UUID activeSessionId,
        UUID lastSessionId,
        UUID sourceWorkspaceId, String githubRepo, String host, long sizeBytes, OffsetDateTime createdAt,
        OffsetDateTime updatedAt, boolean persistence) {

    public static WorkspaceView of(WorkspaceEntity w) {
        return new WorkspaceView(w.id, w.name, w.displayName(), w.sessionType, w.status, w.failureReason, w.failureCode,
                w.image,
                w.template, w.activeSessionId, w.lastSessionId, w.sourceWorkspaceId, w.githubRepo, w.hostId,
                w.sizeBytes, w.createdAt, w.updatedAt, true);
    }
}
