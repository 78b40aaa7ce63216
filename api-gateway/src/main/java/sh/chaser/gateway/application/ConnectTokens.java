package sh.chaser.gateway.application;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import sh.chaser.gateway.config.GatewayConfig;
import sh.chaser.proto.account.v1.Account;
import sh.chaser.proto.account.v1.AuthenticateResponse;
import sh.chaser.proto.account.v1.PrincipalType;

/**
 * Short-lived tokens bound to one session, for clients that cannot send headers (a browser's
 * WebSocket): {@code ct_<payload>.<signature>}, HMAC-SHA256 over the caller's principal, account,
 * role and scopes as they were when the token was made. Any gateway instance verifies them.
 */
@ApplicationScoped
public class ConnectTokens {

    public static final String PREFIX = "ct_";

    /** A verified token: who and which session. */
    public record Claims(String sessionId, AuthenticateResponse principal) {
    }

    private final GatewayConfig config;
    private final byte[] secret;

    @Inject
    public ConnectTokens(GatewayConfig config,
            @ConfigProperty(name = "smallrye.jwt.sign.key.location") String signingKey) {
        this.config = config;
        this.secret = config.dataPlane().connectTokenSecret().map(s -> s.getBytes(StandardCharsets.UTF_8))
                .orElseGet(() -> derive(signingKey));
    }

    public record Minted(String token, Instant expiresAt) {
    }

    public Minted mint(String sessionId, AuthenticateResponse p) {
        Instant expires = Instant.now().plus(config.dataPlane().connectTokenTtl());
        JsonObject claims = new JsonObject().put("sid", sessionId).put("pid", p.getPrincipalId())
                .put("pt", p.getPrincipalTypeValue()).put("acc", p.getAccount().getId())
                .put("accn", p.getAccount().getName()).put("at", p.getAccount().getType()).put("role", p.getRole()).put("kid", p.getKeyId())
                .put("fa", p.getFullAccess()).put("sc", new JsonArray(p.getScopesList()))
                .put("exp", expires.getEpochSecond());
        String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
        return new Minted(PREFIX + payload + "." + sign(payload), expires);
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
            if (c.getLong("exp") < Instant.now().getEpochSecond()) {
                return Optional.empty();
            }
            var principal = AuthenticateResponse.newBuilder().setPrincipalId(c.getString("pid"))
                    .setPrincipalType(PrincipalType.forNumber(c.getInteger("pt")))
                    .setAccount(Account.newBuilder().setId(c.getString("acc")).setName(c.getString("accn", "")).setType(c.getString("at", "")))
                    .setRole(c.getString("role", "")).setKeyId(c.getString("kid", ""))
                    .setFullAccess(c.getBoolean("fa", false));
            c.getJsonArray("sc").forEach(s -> principal.addScopes(String.valueOf(s)));
            return Optional.of(new Claims(c.getString("sid"), principal.build()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private String sign(String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] derive(String keyLocation) {
        try {
            byte[] key;
            Path file = Path.of(keyLocation);
            if (Files.isRegularFile(file)) {
                key = Files.readAllBytes(file);
            } else {
                try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(keyLocation)) {
                    if (in == null) {
                        throw new IllegalStateException("no signing key at " + keyLocation);
                    }
                    key = in.readAllBytes();
                }
            }
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update("chaser connect tokens\n".getBytes(StandardCharsets.UTF_8));
            return digest.digest(key);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("could not derive the connect-token secret", e);
        }
    }
}
