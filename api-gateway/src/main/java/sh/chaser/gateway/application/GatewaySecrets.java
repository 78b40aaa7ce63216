package sh.chaser.gateway.application;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

/**
 * Secrets every gateway instance shares without configuring them: each is a hash of the internal
 * signing key (which every instance holds) under a label of its own, so one never serves as another.
 */
public final class GatewaySecrets {

    private GatewaySecrets() {}

    /** SHA-256 of {@code label} and the key at {@code keyLocation} (a file, else a class-path resource). */
    public static byte[] derive(String keyLocation, String label) {
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
            digest.update(label.getBytes(StandardCharsets.UTF_8));
            return digest.digest(key);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("could not derive a secret from the signing key", e);
        }
    }
}
