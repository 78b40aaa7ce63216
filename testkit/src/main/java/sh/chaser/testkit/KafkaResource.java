package sh.chaser.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Points a process without a database (the gateway) at the test Kafka broker. */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return TestKafka.quarkusConfig();
    }

    @Override
    public void stop() {
        // the broker lives as long as the test JVM
    }
}
