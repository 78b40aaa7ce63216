package sh.chaser.agent.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import sh.chaser.agent.application.Sandboxes;
import sh.chaser.agent.disk.DiskStore;
import sh.chaser.agent.runtime.UnavailableRuntime;

/** What this host runs sandboxes with; DOWN when the runtime's prerequisites are missing. */
@Readiness
@ApplicationScoped
public class SandboxHostCheck implements HealthCheck {

    @Inject
    Sandboxes sandboxes;
    @Inject
    DiskStore disks;

    @Override
    public HealthCheckResponse call() {
        var runtime = sandboxes.activeRuntime();
        var builder = HealthCheckResponse.named("sandbox host").withData("runtime", runtime.name())
                .withData("runtime_description", runtime.describe())
                .withData("runtimes_offered", String.join(",", sandboxes.offered()))
                .withData("disk_store", disks.kind()).withData("sandboxes_running", sandboxes.runningIds().size())
                .withData("teardowns_pending", sandboxes.pendingTeardowns());
        if (runtime instanceof UnavailableRuntime unavailable) {
            // still "up": the agent answers and says why nothing boots; Boot fails with runtime_unavailable
            builder.withData("unavailable", unavailable.reason());
        }
        return builder.up().build();
    }
}
