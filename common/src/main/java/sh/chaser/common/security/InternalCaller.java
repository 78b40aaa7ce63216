package sh.chaser.common.security;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import sh.chaser.contracts.InternalToken;

/** Who calls this service, in which account, as the gateway's internal token says. */
@RequestScoped
public class InternalCaller {

    @Inject
    JsonWebToken jwt;

    public UUID principalId() {
        return UUID.fromString(jwt.getSubject());
    }

    public boolean isUser() {
        return "user".equals(jwt.getClaim(InternalToken.PRINCIPAL_TYPE));
    }

    public UUID accountId() {
        return UUID.fromString(jwt.<String>getClaim(InternalToken.ACCOUNT));
    }

    public String role() {
        return jwt.getClaim(InternalToken.ROLE);
    }

    public boolean isOwnerOrAdmin() {
        return "owner".equals(role()) || "admin".equals(role());
    }

    public boolean fullAccess() {
        Object value = jwt.getClaim(InternalToken.FULL_ACCESS);
        return Boolean.TRUE.equals(value) || "true".equals(String.valueOf(value));
    }

    public List<String> scopes() {
        Object value = jwt.getClaim(InternalToken.SCOPES);
        if (value instanceof JsonArray array) {
            return array.getValuesAs(JsonString::getString);
        }
        if (value instanceof Collection<?> c) {
            return c.stream().map(Object::toString).toList();
        }
        return List.of();
    }

    /** The account's limits as the gateway resolved them (the shipped defaults when the token has none). */
    public AccountLimits limits() {
        return AccountLimits.fromClaim(jwt.getClaim(InternalToken.LIMITS));
    }

    /** The API key this request came with, or null for an access token. */
    public UUID keyId() {
        String key = jwt.getClaim(InternalToken.KEY);
        return key == null || key.isBlank() ? null : UUID.fromString(key);
    }
}
