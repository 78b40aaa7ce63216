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
@Table(name = "user_identities")
@IdClass(UserIdentityEntity.Key.class)
public class UserIdentityEntity {

    @Id
    public String issuer;
    @Id
    public String subject;
    @Column(name = "user_id")
    public UUID userId;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    public record Key(String issuer, String subject) implements Serializable {

        public Key() {
            this(null, null);
        }
    }
}
