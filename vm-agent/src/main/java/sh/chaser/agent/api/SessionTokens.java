package sh.chaser.agent.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;
import sh.chaser.contracts.DataPlaneContract;
import sh.chaser.contracts.InternalToken;

/**
 * Verifies the gateway's token for one session request: an RS256 JWT of the internal key whose
 * audience, subject (the session) and operation match the request and that has not expired. The
 * check is a signature verification, tens of microseconds; nothing is cached.
 */
final class SessionTokens {

    private static final Base64.Decoder URL = Base64.getUrlDecoder();
    private final PublicKey key;

    SessionTokens(PublicKey key) {
        this.key = key;
    }

    static PublicKey publicKey(String pem) throws GeneralSecurityException {
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(body)));
    }

    /** Why the token does not allow {@code operation} on {@code sessionId}, or empty when it does. */
    Optional<String> refusal(String token, String sessionId, String operation, long nowSeconds) {
        if (token == null || token.isEmpty()) {
            return Optional.of("no session token: the data plane serves sessions only through the gateway");
        }
        String[] parts = token.split("\\.");
        if (parts.length != 3) {
            return Optional.of("malformed session token");
        }
        try {
            JsonObject header = new JsonObject(new String(URL.decode(parts[0]), StandardCharsets.UTF_8));
            if (!"RS256".equals(header.getString("alg"))) {
                return Optional.of("session token is not RS256");
            }
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initVerify(key);
            rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!rsa.verify(URL.decode(parts[2]))) {
                return Optional.of("session token signature does not verify");
            }
            JsonObject claims = new JsonObject(new String(URL.decode(parts[1]), StandardCharsets.UTF_8));
            if (!InternalToken.ISSUER.equals(claims.getString("iss")) || !audience(claims)) {
                return Optional.of("session token is not for the data plane");
            }
            if (claims.getLong("exp", 0L) <= nowSeconds) {
                return Optional.of("session token expired");
            }
            if (!sessionId.equalsIgnoreCase(claims.getString("sub", ""))
                    || !operation.equals(claims.getString(DataPlaneContract.OPERATION_CLAIM, ""))) {
                return Optional.of("session token is for another session or operation");
            }
            return Optional.empty();
        } catch (GeneralSecurityException | RuntimeException e) {
            return Optional.of("malformed session token");
        }
    }

    private static boolean audience(JsonObject claims) {
        Object aud = claims.getValue("aud");
        return aud instanceof String one
                ? one.equals(DataPlaneContract.SESSION_TOKEN_AUDIENCE)
                : aud instanceof JsonArray many && many.contains(DataPlaneContract.SESSION_TOKEN_AUDIENCE);
    }
}
