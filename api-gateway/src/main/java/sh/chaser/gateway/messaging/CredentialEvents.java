package sh.chaser.gateway.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import sh.chaser.gateway.application.Authenticator;

/**
 * A revoked key, a disabled or deleted service account, a changed membership: any credential fact
 * clears this gateway's cached principals, so the change holds at once rather than after the TTL.
 */
@ApplicationScoped
public class CredentialEvents {

    private static final Logger LOG = Logger.getLogger(CredentialEvents.class);

    @Inject
    Authenticator authenticator;

    @Incoming("account-events")
    public void onAccountEvent(String cloudEvent) {
        authenticator.invalidateAll();
        LOG.debugf("credentials changed; cached principals dropped: %s", cloudEvent);
    }
}
