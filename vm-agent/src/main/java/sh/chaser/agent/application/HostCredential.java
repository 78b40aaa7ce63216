package sh.chaser.agent.application;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * What this host proves itself with to the registry: the installation's join token (a file the
 * operator provides) and the credential its first registration was issued, kept owner-only in the
 * data directory so a restarted agent keeps its id.
 */
final class HostCredential {

    private final Optional<Path> joinTokenFile;
    private final Path credentialFile;

    HostCredential(Optional<String> joinTokenFile, String dataDir) {
        this.joinTokenFile = joinTokenFile.filter(f -> !f.isBlank()).map(Path::of);
        this.credentialFile = Path.of(dataDir, "host-credential");
    }

    /** Empty when no join token is configured or readable (the registry then refuses). */
    String joinToken() {
        return joinTokenFile.filter(Files::isReadable).map(HostCredential::read).orElse("");
    }

    String credential() {
        return Files.isReadable(credentialFile) ? read(credentialFile) : "";
    }

    void keep(String issued) {
        try {
            Files.createDirectories(credentialFile.getParent());
            Path tmp = credentialFile.resolveSibling("host-credential.tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, issued);
            Files.move(tmp, credentialFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("the host credential cannot be kept in " + credentialFile, e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
