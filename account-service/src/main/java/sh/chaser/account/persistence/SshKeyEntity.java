package sh.chaser.account.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A user's SSH public key in one account (the SSH gateway's credential). */
@Entity
@Table(name = "ssh_keys")
public class SshKeyEntity {

    @Id
    public UUID id;
    @Column(name = "account_id")
    public UUID accountId;
    @Column(name = "user_id")
    public UUID userId;
    public String name;
    @Column(name = "key_type")
    public String keyType;
    /** {@code SHA256:...}, as {@code ssh-keygen -l} prints it */
    public String fingerprint;
    /** {@code <type> <base64>}, without the comment */
    @Column(name = "public_key")
    public String publicKey;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
}
