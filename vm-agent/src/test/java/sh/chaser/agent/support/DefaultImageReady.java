package sh.chaser.agent.support;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.health.HealthCheckResponse;
import sh.chaser.agent.health.DefaultImageCheck;

/** On a fresh host the default image, the microVM kernel and its root disk take minutes; a boot's call has one. */
public final class DefaultImageReady {

    private DefaultImageReady() {}

    public static void await(DefaultImageCheck check) {
        Awaitility.await("the default image, the microVM kernel and its root disk").atMost(Duration.ofMinutes(15))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> check.call().getStatus() == HealthCheckResponse.Status.UP);
    }
}
