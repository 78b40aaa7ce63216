package sh.chaser.testkit;

import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;

/** The Kafka broker tests use: {@code CHASER_KAFKA_BOOTSTRAP} when set, else a KRaft broker in this JVM. */
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
}
