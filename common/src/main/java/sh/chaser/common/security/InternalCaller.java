package sh.chaser.common.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Who calls this service, in which account, as the gateway's internal token says. */
@RequestScoped
public class InternalCaller {

    /** Keyed by the verified token's exact text, which the gateway reuses for one caller. */
    private static final Cache<String, CallerClaims> CLAIMS = Caffeine.newBuilder()
            .maximumSize(10_000).expireAfterWrite(Duration.ofMinutes(10)).build();

    @Inject
    JsonWebToken jwt;

    private CallerClaims claims;

    private CallerClaims claims() {
        if (claims == null) {
            String raw = jwt.getRawToken();
            claims = raw == null ? CallerClaims.of(jwt) : CLAIMS.get(raw, k -> CallerClaims.of(jwt));
        }
        return claims;
    }

    public UUID principalId() {
        return UUID.fromString(claims().subject());
    }

    public boolean isUser() {
        return claims().isUser();
    }

    public UUID accountId() {
        return Objects.requireNonNull(claims().accountId(), "the internal token names no account");
    }

    public String role() {
        return claims().role();
    }

    public boolean isOwnerOrAdmin() {
        return "owner".equals(role()) || "admin".equals(role());
    }

    public boolean fullAccess() {
        return claims().fullAccess();
    }

    public List<String> scopes() {
        return claims().scopes();
    }

    /** The account's limits as the gateway resolved them (the shipped defaults when the token has none). */
    public AccountLimits limits() {
        return claims().limits();
    }

    /** The API key this request came with, or null for an access token. */
    public UUID keyId() {
        return claims().keyId();
    }
}
