package sh.chaser.account.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

@Entity
@Table(name = "accounts")
public class AccountEntity {

    @Id
    public UUID id;
    public String name;
    /** personal | organization */
    public String type;
    @Column(name = "personal_of")
    public UUID personalOf;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
}
