package sh.chaser.agent.health;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import sh.chaser.agent.image.ImageStore;

/**
 * Prepares the default image in the background at start (minutes the first time on a host, then
 * cached), then what the runtime needs ahead of boots (a microVM's kernel and root disk); the
 * agent is ready once both are, so nothing is placed here before a boot can be quick.
 */
@Readiness
@ApplicationScoped
public class DefaultImageCheck implements HealthCheck {

    @Inject
    ImageStore images;
    @Inject
    sh.chaser.agent.application.Sandboxes sandboxes;
    private volatile boolean runtimeReady;

    void onStart(@Observes StartupEvent event) {
        Thread thread = new Thread(() -> {
            images.prepareDefault();
            sandboxes.prepare();
            runtimeReady = true;
        }, "default-image");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("default image").status(images.defaultReady() && runtimeReady)
                .withData("image", images.defaultImage()).build();
    }
}
