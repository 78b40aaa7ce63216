package sh.chaser.session.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A job (docs/jobs.md); input and result are JSON text. */
@Entity
@Table(name = "jobs")
public class JobEntity {

    @Id
    public UUID id;
    @Column(name = "account_id")
    public UUID accountId;
    public String kind;
    public String input;
    public String status;
    public int attempts;
    @Column(name = "max_attempts")
    public int maxAttempts;
    public String result;
    @Column(name = "error_code")
    public String errorCode;
    @Column(name = "error_message")
    public String errorMessage;
    @Column(name = "run_at")
    public OffsetDateTime runAt;
    @Column(name = "idempotency_key")
    public String idempotencyKey;
    /** "user" or "service_account", as {@link sh.chaser.common.security.Actor#type()}. */
    @Column(name = "principal_type")
    public String principalType;
    @Column(name = "principal_id")
    public UUID principalId;
    @Column(name = "key_id")
    public UUID keyId;
    @Column(name = "cancel_requested")
    public boolean cancelRequested;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
    @Column(name = "started_at")
    public OffsetDateTime startedAt;
    @Column(name = "finished_at")
    public OffsetDateTime finishedAt;

    public boolean finished() {
        return "succeeded".equals(status) || "failed".equals(status) || "cancelled".equals(status);
    }
}
