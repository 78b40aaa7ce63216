package sh.chaser.session.application;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import sh.chaser.session.config.SessionConfig;

/**
 * Who may be a host: the installation's join token (issued by the operator, read from its file on
 * each check, so a rotated token applies at once) and each host's own credential, issued on its
 * first registration and kept here only as a SHA-256 hash.
 */
@ApplicationScoped
public class HostCredentials {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    SessionConfig config;

    /** Constant-time; false when no join token is configured. */
    public boolean joinTokenValid(String presented) {
        var file = config.hosts().joinTokenFile();
        if (presented == null || presented.isEmpty() || file.isEmpty() || !Files.isRegularFile(file.get())) {
            return false;
        }
        try {
            String token = Files.readString(file.get()).trim();
            return !token.isEmpty() && MessageDigest.isEqual(sha256(token), sha256(presented));
        } catch (IOException e) {
            throw new UncheckedIOException("the host join token file cannot be read: " + e.getMessage(), e);
        }
    }

    public String newCredential() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String hash(String credential) {
        return HexFormat.of().formatHex(sha256(credential));
    }

    /** Constant-time comparison of a presented credential with the stored hash. */
    public static boolean matches(String storedHash, String presented) {
        if (storedHash == null || presented == null || presented.isEmpty()) {
            return false;
        }
        return MessageDigest.isEqual(storedHash.getBytes(StandardCharsets.US_ASCII),
                hash(presented).getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
