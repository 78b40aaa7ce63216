package sh.chaser.contracts;

import java.util.Map;
import java.util.Properties;

/**
 * How a process reaches the broker, from Quarkus' {@code default-kafka-broker} configuration (every
 * {@code kafka.*} property and {@code KAFKA_*} variable): the servers and the TLS identity the
 * broker's ACLs check. Producers made by hand take these and nothing else of it (no group id).
 */
public final class KafkaConnection {

    /** The CDI identifier of the map Quarkus makes from {@code kafka.*}. */
    public static final String DEFAULT_CONFIG = "default-kafka-broker";

    private KafkaConnection() {}

    public static Properties of(Map<String, Object> defaults) {
        Properties p = new Properties();
        defaults.forEach((name, value) -> {
            boolean connection = name.equals("bootstrap.servers") || name.equals("security.protocol")
                    || name.startsWith("ssl.") || name.startsWith("sasl.");
            if (connection && value != null && !value.toString().isEmpty()) {
                p.put(name, value);
            }
        });
        return p;
    }
}
