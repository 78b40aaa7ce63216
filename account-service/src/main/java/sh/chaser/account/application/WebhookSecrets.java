package sh.chaser.account.application;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import sh.chaser.account.config.AccountConfig;

/**
 * Webhook signing secrets ({@code whsec_} + 256 random bits). Unlike API keys they cannot be
 * stored hashed (each delivery is signed with them), so they are sealed with AES-256-GCM under a
 * key of the installation and shown to the caller once, at creation.
 */
@ApplicationScoped
public class WebhookSecrets {

    public static final String PREFIX = "whsec_";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int NONCE = 12;

    private final SecretKeySpec key;

    @Inject
    public WebhookSecrets(AccountConfig config) {
        this.key = new SecretKeySpec(keyBytes(config), "AES");
    }

    public String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public byte[] seal(String secret) {
        try {
            byte[] nonce = new byte[NONCE];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(NONCE + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String open(byte[] sealed) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, Arrays.copyOf(sealed, NONCE)));
            return new String(cipher.doFinal(sealed, NONCE, sealed.length - NONCE), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a webhook secret cannot be opened: was the sealing key changed?", e);
        }
    }

    private static byte[] keyBytes(AccountConfig config) {
        if (config.webhooks().sealingKey().isPresent()) {
            byte[] given = Base64.getDecoder().decode(config.webhooks().sealingKey().get().trim());
            if (given.length != 32) {
                throw new IllegalArgumentException("chaser.account.webhooks.sealing-key must be 32 bytes in base64");
            }
            return given;
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("chaser webhook secrets v1\n".getBytes(StandardCharsets.UTF_8));
            return sha.digest(Files.readAllBytes(Path.of(config.auth().signingKey())));
        } catch (IOException e) {
            throw new UncheckedIOException("no sealing key for webhook secrets: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
