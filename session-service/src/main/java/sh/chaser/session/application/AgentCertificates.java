package sh.chaser.session.application;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import sh.chaser.session.config.SessionConfig;

/**
 * Signs a joining vm-agent's key as {@code vm-agent/<host id>} with the agent issuer (a CA under the
 * installation's whose name constraints admit only {@code O=Chaser, OU=agents}); the request's own
 * subject and extensions are ignored. Issuer files are read at each signing (a renewed issuer
 * applies at once).
 */
@ApplicationScoped
public class AgentCertificates {

    static final Duration VALIDITY = Duration.ofDays(90);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();

    @Inject
    SessionConfig config;

    public boolean enabled() {
        return config.hosts().joinPort().isPresent() && config.hosts().agentIssuerCertFile().isPresent()
                && config.hosts().agentIssuerKeyFile().isPresent();
    }

    /**
     * @param address the IP the agent is dialled at, named in the certificate besides loopback
     * @return the agent's certificate and the issuer's, PEM
     * @throws IllegalArgumentException when the request is no valid PKCS#10 request signed by its key
     */
    public String issue(String hostId, String csrPem, Optional<InetAddress> address) throws Exception {
        PKCS10CertificationRequest csr;
        try (PEMParser parser = new PEMParser(new StringReader(csrPem))) {
            if (!(parser.readObject() instanceof PKCS10CertificationRequest request)) {
                throw new IllegalArgumentException("csr is not a PEM certificate request");
            }
            csr = request;
        } catch (IOException e) {
            throw new IllegalArgumentException("csr is not a PEM certificate request");
        }
        // BouncyCastle's own provider: the JDK's finds no key factory by the EC key's OID
        if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(BC)
                .build(csr.getSubjectPublicKeyInfo()))) {
            throw new IllegalArgumentException("csr is not signed by its own key");
        }
        X509Certificate issuer = readCertificate();
        PrivateKey issuerKey = readKey();
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Chaser")
                .addRDN(BCStyle.OU, "agents").addRDN(BCStyle.CN, "vm-agent/" + hostId).build();
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM).add(BigInteger.ONE),
                Date.from(now.minusSeconds(60)), Date.from(now.plus(VALIDITY)), subject,
                new JcaPKCS10CertificationRequest(csr).setProvider(BC).getPublicKey());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                new KeyPurposeId[]{ KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth }));
        List<GeneralName> names = new ArrayList<>(List.of(new GeneralName(GeneralName.dNSName, "vm-agent"),
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        address.filter(a -> !a.isLoopbackAddress())
                .ifPresent(a -> names.add(new GeneralName(GeneralName.iPAddress, a.getHostAddress())));
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(names.toArray(GeneralName[]::new)));
        X509Certificate leaf = new JcaX509CertificateConverter()
                .getCertificate(
                        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BC).build(issuerKey)));
        StringWriter out = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(leaf);
            pem.writeObject(issuer);
        }
        return out.toString();
    }

    private X509Certificate readCertificate() throws Exception {
        try (PEMParser parser = new PEMParser(Files.newBufferedReader(config.hosts().agentIssuerCertFile().get()))) {
            return new JcaX509CertificateConverter().getCertificate((X509CertificateHolder) parser.readObject());
        }
    }

    private PrivateKey readKey() throws Exception {
        try (PEMParser parser = new PEMParser(Files.newBufferedReader(config.hosts().agentIssuerKeyFile().get()))) {
            return new JcaPEMKeyConverter().setProvider(BC).getPrivateKey((PrivateKeyInfo) parser.readObject());
        }
    }
}
