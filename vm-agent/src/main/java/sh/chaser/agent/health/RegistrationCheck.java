package sh.chaser.agent.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import sh.chaser.agent.application.HostIdentity;
import sh.chaser.agent.application.HostRegistration;

/** A host is ready only once session-service knows it: before that no session can be placed here. */
@Readiness
@ApplicationScoped
public class RegistrationCheck implements HealthCheck {

    @Inject
    HostRegistration registration;
    @Inject
    HostIdentity identity;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("session-service registration")
                .status(registration.registered())
                .withData("host_id", identity.hostId())
                .build();
    }
}
