package sh.chaser.session.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

@Entity
@Table(name = "connection_leases")
public class LeaseEntity {

    @Id
    public UUID id;
    @Column(name = "session_id")
    public UUID sessionId;
    public String holder;
    public String kind;
    @Column(name = "acquired_at")
    public OffsetDateTime acquiredAt;
    @Column(name = "expires_at")
    public OffsetDateTime expiresAt;
}
