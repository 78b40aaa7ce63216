package sh.chaser.account.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

@Entity
@Table(name = "service_accounts")
public class ServiceAccountEntity {

    @Id
    public UUID id;
    @Column(name = "account_id")
    public UUID accountId;
    public String name;
    public boolean disabled;
    @Column(name = "created_by")
    public UUID createdBy;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
    @Column(name = "deleted_at")
    public OffsetDateTime deletedAt;
}
