package sh.chaser.account.domain;

import java.security.PublicKey;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import sh.chaser.common.api.ServiceException;

/** An OpenSSH public key line ({@code ssh-ed25519 AAAA... comment}), checked and fingerprinted. */
public final class SshPublicKeys {

    /** The key's type, {@code <type> <base64>} without the comment, and its SHA256 fingerprint. */
    public record Parsed(String type, String publicKey, String fingerprint) {}

    private static final int MAX_LENGTH = 16 * 1024;

    private SshPublicKeys() {}

    public static Parsed parse(String line) {
        if (line == null || line.isBlank() || line.length() > MAX_LENGTH || line.contains("\n")) {
            throw invalid("public_key must be one OpenSSH public key line, e.g. \"ssh-ed25519 AAAA... you@host\"");
        }
        PublicKey key;
        PublicKeyEntry entry;
        try {
            entry = PublicKeyEntry.parsePublicKeyEntry(line.trim());
            key = entry == null ? null : entry.resolvePublicKey(null, null, null);
        } catch (Exception e) {
            throw invalid("public_key is not an OpenSSH public key this server can read (" + e.getMessage() + ")");
        }
        if (key == null) {
            throw invalid("public_key is of an unknown key type; use ssh-ed25519, ecdsa-sha2-nistp256/384/521 or"
                    + " ssh-rsa");
        }
        String type = KeyUtils.getKeyType(key);
        if (KeyUtils.RSA_ALGORITHM.equals(key.getAlgorithm()) && KeyUtils.getKeySize(key) < 2048) {
            throw invalid("an RSA key must have at least 2048 bits");
        }
        String base64 = java.util.Base64.getEncoder().encodeToString(entry.getKeyData());
        return new Parsed(type, type + " " + base64, fingerprint(key));
    }

    /** {@code SHA256:<unpadded base64>}, as {@code ssh-keygen -l} prints it. */
    public static String fingerprint(PublicKey key) {
        return KeyUtils.getFingerPrint(KeyUtils.getDefaultFingerPrintFactory(), key);
    }

    private static ServiceException invalid(String message) {
        return new ServiceException(ErrorCode.INVALID_REQUEST, message, "public_key");
    }
}
