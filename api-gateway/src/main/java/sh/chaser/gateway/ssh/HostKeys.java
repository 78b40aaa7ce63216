package sh.chaser.gateway.ssh;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.common.keyprovider.KeyPairProvider;

/**
 * The SSH gateway's host key: read from its file (as ssh-keygen writes it, PEM or OpenSSH's own
 * format), made there once as EC P-256 (OpenSSH format) when there is none. The file is linked into
 * place only if its name is free, so instances starting together end up presenting the same key.
 */
final class HostKeys {

    private HostKeys() {}

    static KeyPairProvider load(Path file) throws IOException {
        if (!Files.exists(file)) {
            create(file);
        }
        return new FileKeyPairProvider(file);
    }

    private static void create(Path file) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        KeyPair pair;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            pair = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        Path partial = file.resolveSibling(file.getFileName() + ".new-" + ProcessHandle.current().pid());
        Files.deleteIfExists(partial);
        Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (OutputStream out = Files.newOutputStream(partial)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, "chaser ssh gateway", null, out);
        } catch (GeneralSecurityException e) {
            throw new IOException("the host key could not be written", e);
        }
        try {
            Files.createLink(file, partial);
        } catch (FileAlreadyExistsException lost) {
            // another instance made it first: its key is the one
        } finally {
            Files.deleteIfExists(partial);
        }
    }
}
