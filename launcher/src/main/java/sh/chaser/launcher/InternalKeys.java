package sh.chaser.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The RSA key pair of the internal tokens: the gateway signs with the private half, services
 * verify with the public half. Made once per installation, kept in {@code keys/}.
 */
final class InternalKeys {

    private final Path dir;

    InternalKeys(Settings settings) {
        this.dir = settings.home().resolve("keys");
    }

    Path privateKey() {
        return dir.resolve("internal-jwt-private.pem");
    }

    Path publicKey() {
        return dir.resolve("internal-jwt-public.pem");
    }

    void ensure() throws IOException {
        if (Files.exists(privateKey()) && Files.exists(publicKey())) {
            return;
        }
        KeyPair pair;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            pair = generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.deleteIfExists(privateKey());
        Files.createFile(privateKey(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(privateKey(), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        Files.writeString(publicKey(), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
