package sh.chaser.workspace.api;

import java.time.OffsetDateTime;
import java.util.UUID;
import sh.chaser.workspace.persistence.SnapshotEntity;

public record SnapshotView(UUID id, String name, UUID workspaceId, long sizeBytes, OffsetDateTime createdAt) {

    public static SnapshotView of(SnapshotEntity s) {
        return new SnapshotView(s.id, s.name, s.workspaceId, s.sizeBytes, s.createdAt);
    }
}
