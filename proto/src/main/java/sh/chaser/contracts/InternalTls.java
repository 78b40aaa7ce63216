package sh.chaser.contracts;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * This process's place on the internal plane's mutual TLS: its certificate and key (PEM, the key
 * PKCS#8) and the installation's CA, from {@code chaser.tls.cert-file}, {@code key-file} and
 * {@code ca-file}. All three or none: without them the process talks plaintext (module tests, a
 * development run by hand) and says so at start.
 */
public record InternalTls(Path cert, Path key, Path ca) {

    public static final String CERT = "chaser.tls.cert-file";
    public static final String KEY = "chaser.tls.key-file";
    public static final String CA = "chaser.tls.ca-file";
    /** The name of the Quarkus TLS configuration the servers and gRPC clients use. */
    public static final String CONFIGURATION = "internal";

    public static Optional<InternalTls> of(Optional<String> cert, Optional<String> key, Optional<String> ca) {
        long given = Stream.of(cert, key, ca).filter(Optional::isPresent).count();
        if (given == 0) {
            return Optional.empty();
        }
        if (given < 3) {
            throw new IllegalStateException("set all of " + CERT + ", " + KEY + " and " + CA + ", or none");
        }
        return Optional.of(new InternalTls(Path.of(cert.get()), Path.of(key.get()), Path.of(ca.get())));
    }

    /** This process's, as its configuration ({@link #CERT}, {@link #KEY}, {@link #CA}) names them. */
    public static Optional<InternalTls> fromConfig() {
        Config config = ConfigProvider.getConfig();
        return of(config.getOptionalValue(CERT, String.class), config.getOptionalValue(KEY, String.class),
                config.getOptionalValue(CA, String.class));
    }

    /** Credentials for a gRPC channel: this identity's certificate, the servers' checked against the CA. */
    public ChannelCredentials channelCredentials() {
        try {
            return TlsChannelCredentials.newBuilder().keyManager(cert.toFile(), key.toFile())
                    .trustManager(ca.toFile()).build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the internal TLS files " + cert + ", " + key + ", " + ca, e);
        }
    }

    /** For a JDK client (tools, benchmarks): this identity's certificate, servers checked against the CA. */
    public SSLContext sslContext() {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            Certificate[] chain;
            try (var in = Files.newInputStream(cert)) {
                chain = factory.generateCertificates(in).toArray(new Certificate[0]);
            }
            String pem = Files.readString(key).replaceAll("-----[A-Z ]+-----", "");
            PrivateKey privateKey = KeyFactory.getInstance(chain[0].getPublicKey().getAlgorithm())
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(pem)));
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("identity", privateKey, new char[0], chain);
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, new char[0]);
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            try (var in = Files.newInputStream(ca)) {
                trusted.setCertificateEntry("ca", factory.generateCertificate(in));
            }
            TrustManagerFactory trustManagers = TrustManagerFactory
                    .getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the internal TLS files " + cert + ", " + key + ", " + ca, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the internal TLS files " + cert + ", " + key + ", " + ca + " are unusable",
                    e);
        }
    }

    /** TLS credentials when configured, plaintext otherwise. */
    public static ChannelCredentials credentials(Optional<InternalTls> tls) {
        return tls.map(InternalTls::channelCredentials).orElse(InsecureChannelCredentials.create());
    }
}
