package sh.chaser.workspace.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.OffsetDateTime;
import java.util.UUID;

/** An account's default workspace of one session type. */
@Entity
@Table(name = "default_workspaces")
@IdClass(DefaultWorkspaceEntity.Key.class)
public class DefaultWorkspaceEntity {

    /** One default per account and session type. */
    public record Key(UUID accountId, String sessionType) implements Serializable {

        public Key() {
            this(null, null);
        }
    }

    @Id
    @Column(name = "account_id")
    public UUID accountId;
    @Id
    @Column(name = "session_type")
    public String sessionType;
    @Column(name = "workspace_id")
    public UUID workspaceId;
    @Column(name = "set_at")
    public OffsetDateTime setAt;
}
