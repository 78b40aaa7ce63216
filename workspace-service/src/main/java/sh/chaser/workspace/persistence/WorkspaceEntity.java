package sh.chaser.workspace.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

@Entity
@Table(name = "workspaces")
public class WorkspaceEntity {

    @Id
    public UUID id;
    @Column(name = "account_id")
    public UUID accountId;
    public String name;
    @Column(name = "session_type")
    public String sessionType;
    /** importing | ready | failed */
    public String status;
    public String image;
    public boolean template;
    @Column(name = "active_session_id")
    public UUID activeSessionId;
    @Column(name = "last_session_id")
    public UUID lastSessionId;
    /** The last session a forced operation evicted, and why (snapshot_restore, workspace_deleted, forced). */
    @Column(name = "evicted_session_id")
    public UUID evictedSessionId;
    @Column(name = "eviction_reason")
    public String evictionReason;
    @Column(name = "source_workspace_id")
    public UUID sourceWorkspaceId;
    @Column(name = "github_repo")
    public String githubRepo;
    @Column(name = "host_id")
    public String hostId;
    @Column(name = "size_bytes")
    public long sizeBytes;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;
    @Column(name = "deleted_at")
    public OffsetDateTime deletedAt;
    /** create | clone | import | restore | delete while disk work is unfinished, else null */
    public String operation;
    @Column(name = "operation_arg")
    public String operationArg;
    @Column(name = "operation_started_at")
    public OffsetDateTime operationStartedAt;
    @Column(name = "failure_reason")
    public String failureReason;

    /** The stable code of {@link #failureReason}, e.g. {@code git_unreachable}. */
    @Column(name = "failure_code")
    public String failureCode;

    public void begin(String op, String arg, OffsetDateTime now) {
        operation = op;
        operationArg = arg;
        operationStartedAt = now;
        updatedAt = now;
    }

    public void finish(OffsetDateTime now) {
        operation = null;
        operationArg = null;
        operationStartedAt = null;
        updatedAt = now;
    }

    public String displayName() {
        return name != null ? name : id.toString();
    }
}
