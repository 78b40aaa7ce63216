package sh.chaser.account.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import sh.chaser.common.api.ServiceException;

class SshPublicKeysTest {

    private static final String ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPj70xP9deJWxJ/tTppsTo3Zmm+iLwjRdVK9R6AKlYf9";

    @Test
    void anOpenSshLineIsReadAndFingerprintedAsSshKeygenDoes() {
        var parsed = SshPublicKeys.parse(ED25519 + " me@test");
        assertEquals("ssh-ed25519", parsed.type());
        assertEquals(ED25519, parsed.publicKey());
        // ssh-keygen -lf prints SHA256:PNv3VCuPAKteY6mTG0PpYy2C8g5M9XbxgScJ2fU0mkM for it
        assertEquals("SHA256:PNv3VCuPAKteY6mTG0PpYy2C8g5M9XbxgScJ2fU0mkM", parsed.fingerprint());
    }

    @Test
    void garbageShortRsaAndSeveralLinesAreRefused() {
        for (String bad : new String[]{ "", "not a key", "ssh-ed25519 AAAA", "ssh-ed25519 !!!",
                ED25519 + "\n" + ED25519,
                "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDH+rUgKeYWzX5GkaIHxoyc2+oc4v5k1UYZ8K+j7NOvz5IUZig2U00U7ycGxKaddoGyvKelFH4P5Emc+4Y5UG66VV3NA4Nml32fzyhlDvbtHNpZIZN9DAShJ7xY7eRRG6hOfAIcRnziIfpdsnR3siPu11P0o/swOcUBvvDo+J3ZSQ==" }) {
            assertThrows(ServiceException.class, () -> SshPublicKeys.parse(bad), bad);
        }
    }
}
