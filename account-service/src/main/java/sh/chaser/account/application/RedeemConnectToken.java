package sh.chaser.account.application;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.UUID;
import sh.chaser.account.domain.ErrorCode;
import sh.chaser.account.persistence.PgConnectTokenRedemptions;
import sh.chaser.common.api.ServiceException;

/**
 * A connect token carries the principal it was minted for; this re-checks that principal when the
 * token is used (a revoked key or a removed member ends every token it minted) and refuses a second
 * single-use redemption of one token (a replayed WebSocket upgrade).
 */
@ApplicationScoped
public class RedeemConnectToken {

    /** What the gateway read from a verified token. */
    public record Redemption(String tokenId, UUID accountId, Principal.Type type, UUID principalId, UUID keyId,
            boolean singleUse, OffsetDateTime expiresAt) {}

    @Inject
    AuthenticateToken authenticate;
    @Inject
    PgConnectTokenRedemptions redemptions;

    @WithTransaction
    public Uni<Principal> redeem(Redemption r) {
        Uni<Principal> principal = r.keyId() != null
                ? authenticate.byKeyId(r.keyId(), r.accountId())
                : r.type() == Principal.Type.USER
                        ? authenticate.byUserIn(r.principalId(), r.accountId())
                        : Uni.createFrom().failure(AuthenticateToken.unauthorized());
        return principal.call(p -> !r.singleUse()
                ? Uni.createFrom().voidItem()
                : redemptions.firstUse(r.tokenId(), r.expiresAt()).invoke(first -> {
                    if (!first) {
                        throw new ServiceException(ErrorCode.UNAUTHORIZED,
                                "this connect token was already used to open a connection; ask for a new one");
                    }
                }));
    }
}
