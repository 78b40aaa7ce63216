package sh.chaser.account.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.OffsetDateTime;
import java.util.UUID;

@Entity
@Table(name = "memberships")
@IdClass(MembershipEntity.Key.class)
public class MembershipEntity {

    @Id
    @Column(name = "account_id")
    public UUID accountId;
    @Id
    @Column(name = "user_id")
    public UUID userId;
    /** owner | admin | member */
    public String role;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    public record Key(UUID accountId, UUID userId) implements Serializable {

        public Key() {
            this(null, null);
        }
    }
}
