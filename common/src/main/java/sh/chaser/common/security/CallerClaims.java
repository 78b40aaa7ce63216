package sh.chaser.common.security;

import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import sh.chaser.contracts.InternalToken;

/**
 * The claims of one internal token, read once: each {@code getClaim} of a name outside the MP-JWT
 * standard set costs smallrye-jwt a thrown and caught exception, and a request reads several.
 */
record CallerClaims(String subject, boolean isUser, UUID accountId, String role, boolean fullAccess,
        List<String> scopes, AccountLimits limits, UUID keyId) {

    static CallerClaims of(JsonWebToken jwt) {
        Object full = jwt.getClaim(InternalToken.FULL_ACCESS);
        String account = jwt.getClaim(InternalToken.ACCOUNT);
        String key = jwt.getClaim(InternalToken.KEY);
        return new CallerClaims(
                jwt.getSubject(),
                "user".equals(jwt.getClaim(InternalToken.PRINCIPAL_TYPE)),
                account == null ? null : UUID.fromString(account),
                jwt.getClaim(InternalToken.ROLE),
                Boolean.TRUE.equals(full) || "true".equals(String.valueOf(full)),
                scopes(jwt.getClaim(InternalToken.SCOPES)),
                AccountLimits.fromClaim(jwt.getClaim(InternalToken.LIMITS)),
                key == null || key.isBlank() ? null : UUID.fromString(key));
    }

    private static List<String> scopes(Object value) {
        if (value instanceof JsonArray array) {
            return List.copyOf(array.getValuesAs(JsonString::getString));
        }
        if (value instanceof Collection<?> c) {
            return c.stream().map(Object::toString).toList();
        }
        return List.of();
    }
}
