package sh.chaser.account.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class PgSshKeyRepository implements PanacheRepositoryBase<SshKeyEntity, UUID> {

    public Uni<List<SshKeyEntity>> ofUser(UUID accountId, UUID userId) {
        return list("accountId = ?1 and userId = ?2", accountId, userId);
    }

    public Uni<SshKeyEntity> ofUser(UUID accountId, UUID userId, String fingerprint) {
        return find("accountId = ?1 and userId = ?2 and fingerprint = ?3", accountId, userId, fingerprint)
                .firstResult();
    }

    /** Every account and user the key sits on. */
    public Uni<List<SshKeyEntity>> withFingerprint(String fingerprint) {
        return list("fingerprint = ?1 order by createdAt", fingerprint);
    }
}
