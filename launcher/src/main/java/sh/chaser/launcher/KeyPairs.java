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
 * RSA key pairs made once per installation and kept in {@code keys/}: {@code internal-jwt}
 * (the gateway signs internal tokens, services verify them) and {@code auth-jwt} (account-service
 * signs sign-in access tokens and publishes the public half as JWKS); and the agent-call secret
 * ({@code agent-calls.secret}: session- and workspace-service sign their calls to vm-agents with it).
 */
final class KeyPairs {

    static final String INTERNAL = "internal-jwt";
    static final String AUTH = "auth-jwt";

    private final Path dir;

    KeyPairs(Settings settings) {
        this.dir = settings.home().resolve("keys");
    }

    Path privateKey(String name) {
        return dir.resolve(name + "-private.pem");
    }

    Path publicKey(String name) {
        return dir.resolve(name + "-public.pem");
    }

    /** The SSH gateway's host key, made by the gateway on its first start and kept. */
    Path sshHostKey() {
        return dir.resolve("ssh-host-key");
    }

    Path agentCallSecret() {
        return dir.resolve("agent-calls.secret");
    }

    /** The installation's host join token: a vm-agent registers with session-service only with it. */
    Path hostJoinToken() {
        return dir.resolve("host-join.token");
    }

    void ensure() throws IOException {
        ensure(INTERNAL);
        ensure(AUTH);
        secret(agentCallSecret());
        secret(hostJoinToken());
    }

    /** 32 random bytes in hex, owner-only, made once. */
    private static void secret(Path file) throws IOException {
        if (!Files.exists(file)) {
            byte[] random = new byte[32];
            new java.security.SecureRandom().nextBytes(random);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, java.util.HexFormat.of().formatHex(random) + "\n");
        }
    }

    private void ensure(String name) throws IOException {
        if (Files.exists(privateKey(name)) && Files.exists(publicKey(name))) {
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
        Files.createDirectories(dir.getParent());
        if (!Files.exists(dir)) {
            Files.createDirectory(dir,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Files.deleteIfExists(privateKey(name));
        Files.createFile(privateKey(name),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(privateKey(name), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        Files.writeString(publicKey(name), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
