package sh.chaser.testkit;

import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The Kafka broker tests use: {@code CHASER_KAFKA_BOOTSTRAP} when set (with the TLS identity in
 * {@code CHASER_KAFKA_SECURITY_PROTOCOL}, {@code CHASER_KAFKA_KEYSTORE}, {@code CHASER_KAFKA_TRUSTSTORE},
 * as ./chaser test's broker needs), else a plaintext KRaft broker in this JVM.
 */
public final class TestKafka {

    private static String bootstrap;
    private static EmbeddedKafkaBroker embedded;

    private TestKafka() {}

    public static synchronized String bootstrapServers() {
        if (bootstrap == null) {
            String configured = System.getenv("CHASER_KAFKA_BOOTSTRAP");
            if (configured != null && !configured.isBlank()) {
                bootstrap = configured;
            } else {
                embedded = new EmbeddedKafkaBroker().withDeleteLogDirsOnClose(true);
                embedded.start();
                bootstrap = embedded.getAdvertisedListeners();
                Runtime.getRuntime().addShutdownHook(new Thread(embedded::close));
            }
        }
        return bootstrap;
    }

    /** A client's connection settings (Kafka property names): the servers and, when set, TLS. */
    public static Properties clientProperties() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers());
        String protocol = System.getenv("CHASER_KAFKA_SECURITY_PROTOCOL");
        if (embedded == null && protocol != null && !protocol.isBlank()) {
            p.put("security.protocol", protocol);
            p.put("ssl.keystore.type", "PEM");
            p.put("ssl.keystore.location", System.getenv("CHASER_KAFKA_KEYSTORE"));
            p.put("ssl.truststore.type", "PEM");
            p.put("ssl.truststore.location", System.getenv("CHASER_KAFKA_TRUSTSTORE"));
        }
        return p;
    }

    /** The same as a Quarkus service's configuration ({@code kafka.*}). */
    static Map<String, String> quarkusConfig() {
        Map<String, String> config = new HashMap<>();
        clientProperties().forEach((name, value) -> config.put("kafka." + name, value.toString()));
        return config;
    }
}
