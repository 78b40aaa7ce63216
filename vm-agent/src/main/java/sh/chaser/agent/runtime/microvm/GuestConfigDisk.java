package sh.chaser.agent.runtime.microvm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The guest agent's token on a 512-byte read-only disk of its own (vdc), not on the kernel
 * command line every guest process can read; the guest's init reads it as root.
 */
final class GuestConfigDisk {

    private GuestConfigDisk() {}

    static Path write(Path dir, String token) {
        Path disk = dir.resolve("guest-config.img");
        byte[] block = new byte[512];
        byte[] secret = (token + "\n").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(secret, 0, block, 0, secret.length);
        try {
            Files.write(disk, block);
            Files.setPosixFilePermissions(disk, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return disk;
    }
}
