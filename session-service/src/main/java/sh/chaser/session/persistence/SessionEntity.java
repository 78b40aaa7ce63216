package sh.chaser.session.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

@Entity
@Table(name = "sessions")
public class SessionEntity {

    @Id
    public UUID id;
    @Column(name = "account_id")
    public UUID accountId;
    @Column(name = "session_type")
    public String sessionType;
    public boolean ephemeral;
    @Column(name = "workspace_selector")
    public String workspaceSelector;
    @Column(name = "workspace_id")
    public UUID workspaceId;
    public String image;
    @Column(name = "host_id")
    public String hostId;
    public String runtime;
    public String status;
    @Column(name = "termination_reason")
    public String terminationReason;
    @Column(name = "created_by_type")
    public String createdByType;
    @Column(name = "created_by_id")
    public String createdById;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
    @Column(name = "running_at")
    public OffsetDateTime runningAt;
    @Column(name = "terminated_at")
    public OffsetDateTime terminatedAt;
    /** False from a workspace session's termination until its VM is gone and its workspace given back. */
    @Column(name = "workspace_released")
    public boolean workspaceReleased = true;
    /** The account's idle timeout when the session was created; 0: it never ends idle_timeout. */
    @Column(name = "idle_timeout_seconds")
    public long idleTimeoutSeconds;
    /** What its idle timeout does, its account's when it was created: terminate, or pause (a microVM). */
    @Column(name = "idle_action")
    public String idleAction;

    /** The session this one was forked from (its memory and disk), or null. */
    @Column(name = "forked_from")
    public java.util.UUID forkedFrom;

    /** The status before the last change, for its event (not stored). */
    @jakarta.persistence.Transient
    public String previousStatus = "";

    /** Not ended: creating, running, paused (or between: resuming). */
    public boolean live() {
        return "creating".equals(status) || "running".equals(status) || "paused".equals(status)
                || "resuming".equals(status);
    }
}
