package sh.chaser.contracts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The credential on every call to a vm-agent's gRPC API ({@code VmAgent}, {@code Disks}):
 * {@code authorization: Bearer act1.<caller>.<expiry>.<signature>}, an HMAC-SHA256 with the
 * installation's agent-call secret (a file: {@code chaser.agent-calls.secret-file}) over the caller's
 * name and an expiry at most {@link #TTL} ahead. Only the services that hold the secret (session-
 * and workspace-service) can make one; a process on the host network, or a sandbox, cannot. Mutual
 * TLS with an identity per service replaces it (issue 24).
 */
public final class AgentCallToken {

    public static final String CONFIG = "chaser.agent-calls.secret-file";
    public static final Duration TTL = Duration.ofSeconds(60);
    private static final String PREFIX = "act1.";

    private AgentCallToken() {}

    /** The secret in a file (its bytes, surrounding whitespace removed); at least 32 bytes. */
    public static byte[] readSecret(Path file) {
        try {
            byte[] secret = Files.readString(file).strip().getBytes(StandardCharsets.UTF_8);
            if (secret.length < 32) {
                throw new IllegalArgumentException(
                        file + " holds fewer than 32 bytes; make it with: openssl rand -hex 32");
            }
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the agent-call secret " + file, e);
        }
    }

    public static String mint(byte[] secret, String caller, Instant now) {
        if (!caller.matches("[a-z0-9-]{1,40}")) {
            throw new IllegalArgumentException("caller names are lower-case letters, digits and '-': " + caller);
        }
        String payload = PREFIX + caller + "." + now.plus(TTL).getEpochSecond();
        return payload + "." + sign(secret, payload);
    }

    /** The caller a token names, when it is well-formed, signed with {@code secret} and unexpired. */
    public static Optional<String> verify(byte[] secret, String token, Instant now) {
        if (token == null || !token.startsWith(PREFIX)) {
            return Optional.empty();
        }
        int last = token.lastIndexOf('.');
        String payload = token.substring(0, last);
        String[] parts = payload.split("\\.");
        if (parts.length != 3 || !MessageDigest.isEqual(sign(secret, payload).getBytes(StandardCharsets.US_ASCII),
                token.substring(last + 1).getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        long expiry;
        try {
            expiry = Long.parseLong(parts[2]);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        long seconds = expiry - now.getEpochSecond();
        return seconds > 0 && seconds <= TTL.getSeconds() + 5 ? Optional.of(parts[1]) : Optional.empty();
    }

    private static String sign(byte[] secret, String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
