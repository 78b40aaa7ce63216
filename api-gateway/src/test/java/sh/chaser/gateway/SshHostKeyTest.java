package sh.chaser.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sh.chaser.gateway.ssh.SshGateway;

/** The host key served is the one on file: a cluster's (ssh-keygen -m PEM), or one made once and kept. */
class SshHostKeyTest {

    @TempDir
    Path dir;

    @Test
    void aPemKeyMadeBySshKeygenIsTheOneServedAndIsNotReplaced() throws Exception {
        Path key = dir.resolve("ssh-host-key");
        Process made = new ProcessBuilder("ssh-keygen", "-q", "-t", "ecdsa", "-b", "256", "-m", "PEM", "-N", "", "-f",
                key.toString()).inheritIO().start();
        assertEquals(true, made.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, made.exitValue());
        byte[] before = Files.readAllBytes(key);
        PublicKey expected = PublicKeyEntry
                .parsePublicKeyEntry(Files.readString(dir.resolve("ssh-host-key.pub")).strip())
                .resolvePublicKey(null, null, null);
        assertEquals(fingerprint(expected), fingerprint(SshGateway.hostKey(key)));
        assertEquals(new String(before), new String(Files.readAllBytes(key)), "the file is left as it was");
    }

    @Test
    void withoutAFileOneIsMadeOnceAndKept() throws Exception {
        Path key = dir.resolve("keys").resolve("ssh-host-key");
        String first = fingerprint(SshGateway.hostKey(key));
        assertEquals(first, fingerprint(SshGateway.hostKey(key)), "the second start serves the same key");
    }

    private static String fingerprint(PublicKey key) {
        return KeyUtils.getFingerPrint(KeyUtils.getDefaultFingerPrintFactory(), key);
    }
}
