package sh.chaser.agent.guest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A sandbox's guest-agent token: random, one per sandbox, in a file readable by its owner only
 * (the namespace runtime hands it to the sandbox's user, whose agent reads it; a VM's stays
 * root's). The host keeps it to call in. It opens nothing but that sandbox's agent, which also
 * answers only the host's address.
 */
public final class GuestToken {

    private static final SecureRandom RANDOM = new SecureRandom();

    private GuestToken() {}

    /**
     * The token file, made once (a sandbox booted again after a crash keeps its token), owned by
     * host uid {@code owner} (-1: root's).
     */
    public static Path ensure(Path file, long owner) {
        if (Files.exists(file)) {
            return file;
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        try {
            Path fresh = Files.createFile(file.resolveSibling(file.getFileName() + ".new"),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(fresh, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
            Files.setPosixFilePermissions(fresh, PosixFilePermissions.fromString("r--------"));
            if (owner >= 0) {
                Files.setAttribute(fresh, "unix:uid", (int) owner);
                Files.setAttribute(fresh, "unix:gid", (int) owner);
            }
            Files.move(fresh, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (FileAlreadyExistsException raced) {
            return ensure(file, owner);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw sh.chaser.agent.domain.AgentError.SANDBOX_NOT_RUNNING.exception("the sandbox's agent token is gone");
        }
    }
}
