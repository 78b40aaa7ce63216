package sh.chaser.launcher;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The installation's internal CA and a certificate per identity (its common name: {@code
 * api-gateway}, {@code session-service}, ..., {@code vm-agent/<host id>}), kept in {@code tls/}
 * (owner-only), made on first start: {@code ca.crt}, {@code ca.key}, and the set in use behind the
 * link {@code current}. {@link #rotate} issues every identity a new key and certificate in a new set
 * and swaps the link, so a server never reads a key and a certificate of different sets (but for a
 * read straddling the swap, repaired at the next); servers read theirs again within
 * {@link #RELOAD} (Quarkus' TLS registry).
 */
final class InternalCertificates {

    static final Duration LEAF_VALIDITY = Duration.ofDays(90);
    static final String RELOAD = "30s";
    private static final Duration CA_VALIDITY = Duration.ofDays(3650);

    private static final String CURRENT = "current";
    /** sh.chaser.contracts.AgentJoin.ISSUER_NAME: servers take only vm-agent identities from what it signed. */
    static final String AGENT_ISSUER = "Chaser agent issuer";
    private final Path dir;

    InternalCertificates(Settings settings) {
        this.dir = settings.home().resolve("tls");
    }

    Path ca() {
        return dir.resolve("ca.crt");
    }

    /** Through the link {@code current}: a rotation swaps the whole set at once (as a Kubernetes Secret volume does). */
    Path cert(String identity) {
        return dir.resolve(CURRENT).resolve(identity.replace('/', '.') + ".crt");
    }

    Path key(String identity) {
        return dir.resolve(CURRENT).resolve(identity.replace('/', '.') + ".key");
    }

    /** The key and certificate in one PEM file: what a Kafka client or broker reads (ssl.keystore.type=PEM). */
    Path keystore(String identity) {
        return dir.resolve(CURRENT).resolve(identity.replace('/', '.') + ".pem");
    }

    /** What a Kafka client needs to authenticate as {@code identity} (mutual TLS, ACLs per identity). */
    Map<String, String> kafkaEnv(String identity) {
        return Map.of("CHASER_KAFKA_SECURITY_PROTOCOL", "SSL",
                "CHASER_KAFKA_KEYSTORE", keystore(identity).toString(),
                "CHASER_KAFKA_TRUSTSTORE", ca().toString());
    }

    /** The agent issuer: a CA under the installation's that session-service signs joining agents with. */
    Path agentIssuerCert() {
        return dir.resolve("agent-issuer.crt");
    }

    Path agentIssuerKey() {
        return dir.resolve("agent-issuer.key");
    }

    /** What a server process needs: its certificate, the CA, and TLS required on its port. */
    Map<String, String> serverEnv(String identity) {
        Map<String, String> env = clientEnv(identity);
        // the services' TLS registry configuration (profile internal-tls of their properties)
        env.put("QUARKUS_PROFILE", "prod,internal-tls");
        env.put("CHASER_TLS_RELOAD_PERIOD", RELOAD);
        return env;
    }

    /** What a process that only calls in needs (the gateway: its own port is the public one). */
    Map<String, String> clientEnv(String identity) {
        Map<String, String> env = new HashMap<>();
        env.put("CHASER_TLS_CERT", cert(identity).toString());
        env.put("CHASER_TLS_KEY", key(identity).toString());
        env.put("CHASER_TLS_CA", ca().toString());
        return env;
    }

    /** The CA and every identity's certificate, made where missing. */
    void ensure(List<String> identities) throws IOException {
        Files.createDirectories(dir.getParent());
        if (!Files.exists(dir)) {
            Files.createDirectory(dir,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        if (!Files.exists(ca()) || !Files.exists(dir.resolve("ca.key"))) {
            KeyPair pair = keyPair();
            X500Name name = name("Chaser internal CA");
            X509Certificate ca = sign(new JcaX509v3CertificateBuilder(name, serial(), Date.from(Instant.now()),
                    Date.from(Instant.now().plus(CA_VALIDITY)), name, pair.getPublic()), true, null, pair.getPrivate());
            write(dir.resolve("ca.key"), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            write(ca(), pem("CERTIFICATE", encoded(ca)));
        }
        if (!Files.exists(agentIssuerCert()) || !Files.exists(agentIssuerKey())) {
            issueAgentIssuer();
        }
        if (!Files.exists(dir.resolve(CURRENT))) {
            Files.createSymbolicLink(dir.resolve(CURRENT), generation().getFileName());
        }
        for (String identity : identities) {
            if (!Files.exists(cert(identity)) || !Files.exists(key(identity)) || !Files.exists(keystore(identity))) {
                issue(identity, dir.resolve(CURRENT));
            }
        }
    }

    /** A new key and certificate for each identity (the CA stays). */
    void rotate(List<String> identities) throws IOException {
        ensure(List.of());
        Path previous = dir.resolve(CURRENT).toRealPath();
        Path next = generation();
        for (String identity : identities) {
            issue(identity, next);
        }
        Path link = dir.resolve(CURRENT + ".next");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, next.getFileName());
        Files.move(link, dir.resolve(CURRENT), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        // the set before the previous one is read by no one any more
        try (var generations = Files.list(dir)) {
            for (Path old : generations.filter(g -> g.getFileName().toString().startsWith("gen-")
                    && !g.equals(previous) && !g.equals(next)).toList()) {
                try (var files = Files.list(old)) {
                    for (Path f : files.toList()) {
                        Files.delete(f);
                    }
                }
                Files.delete(old);
            }
        }
    }

    /** A new, empty directory for one set of certificates. */
    private Path generation() throws IOException {
        return Files.createDirectory(dir.resolve("gen-" + System.currentTimeMillis() + "-" + serial().toString(16)),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    /**
     * A CA (path length 0) whose name constraints admit only {@code O=Chaser, OU=agents}: whatever
     * session-service signs with it can never pass for a service (TLS refuses the name; servers and
     * the broker take no service identity from it either).
     */
    private void issueAgentIssuer() throws IOException {
        try {
            X509Certificate ca = caCertificate();
            PrivateKey caKey = caKey();
            KeyPair pair = keyPair();
            var builder = new JcaX509v3CertificateBuilder(ca, serial(), Date.from(Instant.now().minusSeconds(60)),
                    Date.from(Instant.now().plus(CA_VALIDITY)), name(AGENT_ISSUER),
                    pair.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            X500Name agents = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Chaser")
                    .addRDN(BCStyle.OU, "agents").build();
            builder.addExtension(Extension.nameConstraints, true, new NameConstraints(
                    new GeneralSubtree[]{ new GeneralSubtree(new GeneralName(agents)) }, null));
            X509Certificate issuer = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKey)));
            write(agentIssuerKey(), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            write(agentIssuerCert(), pem("CERTIFICATE", encoded(issuer)));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot issue the agent issuer", e);
        }
    }

    private X509Certificate caCertificate() throws IOException, GeneralSecurityException {
        try (var in = Files.newInputStream(ca())) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private PrivateKey caKey() throws IOException, GeneralSecurityException {
        return KeyFactory.getInstance("EC")
                .generatePrivate(new PKCS8EncodedKeySpec(der(Files.readString(dir.resolve("ca.key")))));
    }

    private void issue(String identity, Path into) throws IOException {
        try {
            X509Certificate ca = caCertificate();
            PrivateKey caKey = caKey();
            KeyPair pair = keyPair();
            X509Certificate leaf = sign(new JcaX509v3CertificateBuilder(ca, serial(),
                    Date.from(Instant.now().minusSeconds(60)), Date.from(Instant.now().plus(LEAF_VALIDITY)),
                    name(identity), pair.getPublic()), false, identity, caKey);
            String file = identity.replace('/', '.');
            String key = pem("PRIVATE KEY", pair.getPrivate().getEncoded());
            String certificate = pem("CERTIFICATE", encoded(leaf));
            write(into.resolve(file + ".key"), key);
            write(into.resolve(file + ".crt"), certificate);
            write(into.resolve(file + ".pem"), key + certificate);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot issue a certificate for " + identity, e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, boolean ca, String identity,
            PrivateKey signer) {
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (ca) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                        new KeyPurposeId[]{ KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth }));
                // every local process listens on loopback; a client that dials an address but expects
                // a kind of process (services to agents) checks the kind's name
                String kind = identity.contains("/") ? identity.substring(0, identity.indexOf('/')) : identity;
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName[]{ new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                                new GeneralName(GeneralName.dNSName, "localhost"),
                                new GeneralName(GeneralName.dNSName, kind) }));
            }
            return new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
        } catch (IOException | OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a certificate for " + (ca ? "the CA" : identity), e);
        }
    }

    private static X500Name name(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Chaser").addRDN(BCStyle.CN, commonName)
                .build();
    }

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static BigInteger serial() {
        return new BigInteger(64, new SecureRandom()).abs().add(BigInteger.ONE);
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] der(String pem) {
        return Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** Owner-only, replaced in one step (a reader sees the old file or the new one). */
    private static void write(Path file, String content) throws IOException {
        Path next = file.resolveSibling(file.getFileName() + ".next");
        Files.deleteIfExists(next);
        Files.createFile(next, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(next, content);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
