package sh.chaser.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The installation's CA and its certificates, as the processes and their peers read them. */
class InternalCertificatesTest {

    private static final List<String> IDENTITIES = List.of("api-gateway", "session-service", "vm-agent/local");

    @TempDir
    Path home;

    private InternalCertificates certificates() {
        return new InternalCertificates(new Settings(home, home, 8080, "", 1));
    }

    private static X509Certificate read(Path file) throws Exception {
        try (var in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    @Test
    void eachIdentityHasACertificateOfTheCaNamingItAndOwnerOnlyFiles() throws Exception {
        InternalCertificates certificates = certificates();
        certificates.ensure(IDENTITIES);
        X509Certificate ca = read(certificates.ca());
        for (String identity : IDENTITIES) {
            X509Certificate leaf = read(certificates.cert(identity));
            leaf.verify(ca.getPublicKey()); // throws when another key signed it
            assertEquals("CN=" + identity + ",O=Chaser", leaf.getSubjectX500Principal().getName());
            assertTrue(leaf.getSubjectAlternativeNames().stream().anyMatch(n -> n.get(1).equals("127.0.0.1")));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    certificates.key(identity))));
            // the key is its certificate's: what it signs, the certificate's key verifies
            String pem = Files.readString(certificates.key(identity)).replaceAll("-----[A-Z ]+-----", "");
            PrivateKey key = KeyFactory.getInstance("EC")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(pem)));
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(key);
            signer.update(identity.getBytes());
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(identity.getBytes());
            assertTrue(verifier.verify(signature), identity);
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("tls"))));
        assertEquals(-1, read(certificates.cert("api-gateway")).getBasicConstraints(), "a leaf is no CA");
    }

    @Test
    void aSecondStartKeepsWhatExistsAndARotationIssuesNewCertificatesOfTheSameCa() throws Exception {
        InternalCertificates certificates = certificates();
        certificates.ensure(IDENTITIES);
        var first = read(certificates.cert("session-service")).getSerialNumber();
        certificates.ensure(IDENTITIES);
        assertEquals(first, read(certificates.cert("session-service")).getSerialNumber());

        X509Certificate ca = read(certificates.ca());
        certificates.rotate(IDENTITIES);
        X509Certificate rotated = read(certificates.cert("session-service"));
        assertNotEquals(first, rotated.getSerialNumber());
        assertEquals(ca, read(certificates.ca()));
        rotated.verify(ca.getPublicKey());
        // positive control for verify: a certificate is not its own CA's signature
        assertThrows(Exception.class, () -> ca.verify(rotated.getPublicKey()));
    }
}
