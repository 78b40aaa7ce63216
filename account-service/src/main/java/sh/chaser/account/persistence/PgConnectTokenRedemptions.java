package sh.chaser.account.persistence;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;

/** Token ids of connect tokens already used for a single-use redemption. */
@ApplicationScoped
public class PgConnectTokenRedemptions {

    /** Records the token id; false when it was recorded before (a replay). Drops expired rows on the way. */
    public Uni<Boolean> firstUse(String tokenId, OffsetDateTime expiresAt) {
        return Panache.getSession().flatMap(s -> s
                .createNativeQuery(
                        "DELETE FROM connect_token_redemptions WHERE expires_at < now() - interval '1 minute'")
                .executeUpdate()
                .chain(ignored -> s.createNativeQuery("INSERT INTO connect_token_redemptions (token_id, expires_at)"
                        + " VALUES (:id, :expires) ON CONFLICT (token_id) DO NOTHING")
                        .setParameter("id", tokenId).setParameter("expires", expiresAt).executeUpdate())
                .map(inserted -> inserted == 1));
    }
}
