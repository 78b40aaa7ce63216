package sh.chaser.gateway.application;

import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import sh.chaser.gateway.config.GatewayConfig;
import sh.chaser.gateway.domain.ConnectPurpose;
import sh.chaser.proto.account.v1.AuthenticateResponse;
import sh.chaser.proto.account.v1.PrincipalType;

/**
 * Short-lived tokens bound to one session and one purpose, for clients that cannot send headers (a
 * browser's WebSocket): {@code ct_<payload>.<signature>}, HMAC-SHA256 over the token's id, session,
 * purpose, expiry and the principal that asked for it. Any gateway instance verifies them; the
 * principal is re-checked with account-service on every use ({@link Authenticator#redeem}), so a
 * revoked key ends its tokens, and a WebSocket upgrade uses a token up.
 */
@ApplicationScoped
public class ConnectTokens {

    public static final String PREFIX = "ct_";
    /** The longest a token lives, whatever is configured. */
    public static final Duration MAX_TTL = Duration.ofSeconds(60);

    /** A verified token: its id, session, purpose, expiry and the principal it was minted for. */
    public record Claims(String tokenId, String sessionId, ConnectPurpose purpose, Instant expiresAt,
            String accountId, PrincipalType principalType, String principalId, String keyId) {}

    private final GatewayConfig config;
    private final byte[] secret;

    @Inject
    public ConnectTokens(GatewayConfig config,
            @ConfigProperty(name = "smallrye.jwt.sign.key.location") String signingKey) {
        this.config = config;
        this.secret = config.dataPlane().connectTokenSecret().map(s -> s.getBytes(StandardCharsets.UTF_8))
                .orElseGet(() -> GatewaySecrets.derive(signingKey, "chaser connect tokens\n"));
    }

    public record Minted(String token, ConnectPurpose purpose, Instant expiresAt) {}

    public Minted mint(String sessionId, ConnectPurpose purpose, AuthenticateResponse p) {
        Duration ttl = config.dataPlane().connectTokenTtl();
        Instant expires = Instant.now().plus(ttl.compareTo(MAX_TTL) > 0 ? MAX_TTL : ttl);
        JsonObject claims = new JsonObject().put("jti", UUID.randomUUID().toString()).put("sid", sessionId)
                .put("use", purpose.value()).put("exp", expires.getEpochSecond())
                .put("acc", p.getAccount().getId()).put("pt", p.getPrincipalTypeValue())
                .put("pid", p.getPrincipalId()).put("kid", p.getKeyId());
        String payload = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
        return new Minted(PREFIX + payload + "." + sign(payload), purpose, expires);
    }

    /** The token's claims, or empty when it is malformed, forged or expired. */
    public Optional<Claims> verify(String token) {
        if (token == null || !token.startsWith(PREFIX) || token.indexOf('.') < 0) {
            return Optional.empty();
        }
        String payload = token.substring(PREFIX.length(), token.lastIndexOf('.'));
        String signature = token.substring(token.lastIndexOf('.') + 1);
        if (!MessageDigest.isEqual(sign(payload).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        try {
            JsonObject c = new JsonObject(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8));
            Instant expires = Instant.ofEpochSecond(c.getLong("exp"));
            var purpose = ConnectPurpose.parse(c.getString("use"));
            if (expires.isBefore(Instant.now()) || purpose.isEmpty() || c.getString("jti") == null) {
                return Optional.empty();
            }
            return Optional.of(new Claims(c.getString("jti"), c.getString("sid"), purpose.get(), expires,
                    c.getString("acc"), PrincipalType.forNumber(c.getInteger("pt")), c.getString("pid"),
                    c.getString("kid", "")));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private String sign(String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
