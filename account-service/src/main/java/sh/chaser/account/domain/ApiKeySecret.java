package sh.chaser.account.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * An API key's secret: {@code sk_} and 43 base62 characters (256 random bits). Only its SHA-256
 * is stored: the secret has full entropy, so a slow hash would add latency and no safety.
 */
public record ApiKeySecret(String value) {

    public static final String PREFIX = "sk_";
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final int RANDOM_CHARS = 43;
    private static final SecureRandom RANDOM = new SecureRandom();

    public static ApiKeySecret generate() {
        StringBuilder sb = new StringBuilder(PREFIX);
        for (int i = 0; i < RANDOM_CHARS; i++) {
            sb.append(BASE62[RANDOM.nextInt(BASE62.length)]);
        }
        return new ApiKeySecret(sb.toString());
    }

    public static boolean looksLikeKey(String token) {
        return token != null && token.startsWith(PREFIX) && token.length() == PREFIX.length() + RANDOM_CHARS;
    }

    /** What people see to tell keys apart: {@code sk_} and the first 8 characters. */
    public String displayPrefix() {
        return value.substring(0, PREFIX.length() + 8);
    }

    public String hash() {
        return hash(value);
    }

    public static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return displayPrefix() + "…";
    }
}
