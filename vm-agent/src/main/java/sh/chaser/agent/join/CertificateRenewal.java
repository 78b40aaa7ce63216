package sh.chaser.agent.join;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * A running agent joins again when its certificate has fewer than {@link Joining#RENEW_BEFORE}
 * left (checked every 6 hours): the new files replace the old, and the port serves them within its
 * TLS reload period. Its client to session-service takes them at its next start.
 */
@ApplicationScoped
public class CertificateRenewal {

    private static final Logger LOG = Logger.getLogger(CertificateRenewal.class);
    private ScheduledExecutorService loop;

    void start(@Observes StartupEvent event) {
        var joining = Joining.fromEnvironment(System.getenv());
        if (joining.isEmpty()) {
            return;
        }
        loop = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "certificate-renewal"));
        loop.scheduleWithFixedDelay(() -> {
            try {
                joining.get().ensureCertificate();
            } catch (RuntimeException e) {
                LOG.warnf("renewing this agent's certificate failed (tried again in 6 hours): %s", e.getMessage());
            }
        }, 6, 6, TimeUnit.HOURS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (loop != null) {
            loop.shutdownNow();
        }
    }
}
