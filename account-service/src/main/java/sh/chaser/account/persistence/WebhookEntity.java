package sh.chaser.account.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

@Entity
@Table(name = "webhooks")
public class WebhookEntity {

    @Id
    public UUID id;
    @Column(name = "account_id")
    public UUID accountId;
    public String url;
    public String[] events;
    public String description;
    @Column(name = "secret_sealed")
    public byte[] secretSealed;
    @Column(name = "secret_prefix")
    public String secretPrefix;
    @Column(name = "created_by_type")
    public String createdByType;
    @Column(name = "created_by_id")
    public String createdById;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
    @Column(name = "deleted_at")
    public OffsetDateTime deletedAt;
}
