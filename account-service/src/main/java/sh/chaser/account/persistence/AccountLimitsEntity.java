package sh.chaser.account.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** An account's own limits; a null column takes the installation's default. */
@Entity
@Table(name = "account_limits")
public class AccountLimitsEntity {

    @Id
    @Column(name = "account_id")
    public UUID accountId;
    @Column(name = "concurrent_sessions")
    public Integer concurrentSessions;
    public Integer workspaces;
    @Column(name = "workspace_storage_bytes")
    public Long workspaceStorageBytes;
    @Column(name = "account_storage_bytes")
    public Long accountStorageBytes;
    @Column(name = "idle_timeout_seconds")
    public Long idleTimeoutSeconds;
    @Column(name = "idle_action")
    public String idleAction;
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;
}
