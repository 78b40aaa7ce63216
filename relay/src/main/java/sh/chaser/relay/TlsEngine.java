package sh.chaser.relay;

import io.netty.handler.ssl.OpenSsl;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.TCPSSLOptions;
import org.jboss.logging.Logger;

/**
 * The TLS implementation of the internal plane's connections: OpenSSL (BoringSSL, bundled for
 * linux-x86_64) where it loads, else the JDK's; {@code CHASER_TLS_ENGINE=jdk} asks for the JDK's.
 * Same protocols, ciphers, certificates and checks either way; OpenSSL costs a fraction of the
 * CPU per byte.
 */
public final class TlsEngine {

    private static final Logger LOG = Logger.getLogger(TlsEngine.class);
    private static final boolean OPENSSL = choose();

    private TlsEngine() {}

    /** {@code options} with the chosen engine. */
    public static <T extends TCPSSLOptions> T apply(T options) {
        if (OPENSSL) {
            options.setSslEngineOptions(new OpenSSLEngineOptions());
        }
        return options;
    }

    /** openssl or jdk. */
    public static String name() {
        return OPENSSL ? "openssl" : "jdk";
    }

    private static boolean choose() {
        if ("jdk".equalsIgnoreCase(System.getenv("CHASER_TLS_ENGINE"))) {
            return false;
        }
        if (!OpenSSLEngineOptions.isAvailable()) {
            LOG.warnf("OpenSSL does not load here (%s): TLS uses the JDK's engine", OpenSsl.unavailabilityCause());
            return false;
        }
        return true;
    }
}
