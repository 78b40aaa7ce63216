package sh.chaser.workspace.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A restore point; the vm-agent names it by {@link #id}, so a user's name can be reused after a delete. */
@Entity
@Table(name = "workspace_snapshots")
public class SnapshotEntity {

    @Id
    public UUID id;
    @Column(name = "workspace_id")
    public UUID workspaceId;
    @Column(name = "account_id")
    public UUID accountId;
    public String name;
    /** creating | ready | deleting */
    public String state;
    @Column(name = "size_bytes")
    public long sizeBytes;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;
}
