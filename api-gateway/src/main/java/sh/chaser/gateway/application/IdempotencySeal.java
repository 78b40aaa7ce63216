package sh.chaser.gateway.application;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What the gateway hands account-service for an Idempotency-Key: the record's id and the request's
 * fingerprint as HMACs, and the answer sealed (AES-256-GCM) under a key derived from the account, the
 * principal and the Idempotency-Key. A database reader learns neither the keys nor the answers
 * (which may hold a new API key's secret); only the same caller with the same key opens a record.
 */
@ApplicationScoped
public class IdempotencySeal {

    /** The answer a record keeps: what a replay sends. */
    public record Sealed(int status, String contentType, String location, Buffer body) {}

    private static final int NONCE_BYTES = 12;
    private final byte[] secret;
    private final SecureRandom random = new SecureRandom();

    @Inject
    public IdempotencySeal(@ConfigProperty(name = "smallrye.jwt.sign.key.location") String signingKey) {
        this(GatewaySecrets.derive(signingKey, "chaser idempotency records\n"));
    }

    IdempotencySeal(byte[] secret) {
        this.secret = secret;
    }

    public String recordId(String accountId, String principalId, String key) {
        return HexFormat.of().formatHex(hmac(secret, "record", accountId, principalId, key));
    }

    /** The request as the key binds it: method, path with query, and body. */
    public String fingerprint(String method, String uri, Buffer body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body.getBytes());
            return HexFormat.of().formatHex(hmac(secret, "request", method, uri, HexFormat.of().formatHex(digest)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public byte[] seal(String accountId, String principalId, String key, Sealed answer) {
        JsonObject plain = new JsonObject().put("status", answer.status()).put("content_type", answer.contentType())
                .put("location", answer.location()).put("body", answer.body().getBytes());
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] sealed = cipher(Cipher.ENCRYPT_MODE, accountId, principalId, key, nonce,
                plain.encode().getBytes(StandardCharsets.UTF_8));
        return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
    }

    /** The answer, or empty when it does not open with this caller's key (tampered, or another's). */
    public Optional<Sealed> open(String accountId, String principalId, String key, byte[] sealed) {
        try {
            byte[] nonce = java.util.Arrays.copyOf(sealed, NONCE_BYTES);
            byte[] plain = cipher(Cipher.DECRYPT_MODE, accountId, principalId, key, nonce,
                    java.util.Arrays.copyOfRange(sealed, NONCE_BYTES, sealed.length));
            JsonObject answer = new JsonObject(new String(plain, StandardCharsets.UTF_8));
            return Optional.of(new Sealed(answer.getInteger("status"), answer.getString("content_type"),
                    answer.getString("location"), Buffer.buffer(answer.getBinary("body"))));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private byte[] cipher(int mode, String accountId, String principalId, String key, byte[] nonce, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            byte[] aesKey = hmac(secret, "seal", accountId, principalId, key);
            cipher.init(mode, new SecretKeySpec(aesKey, "AES"), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(recordId(accountId, principalId, key).getBytes(StandardCharsets.US_ASCII));
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the idempotency record does not open", e);
        }
    }

    private static byte[] hmac(byte[] secret, String... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            for (String part : parts) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                mac.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
                mac.update(bytes);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
