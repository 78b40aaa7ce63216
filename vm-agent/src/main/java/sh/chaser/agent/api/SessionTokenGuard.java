package sh.chaser.agent.api;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Optional;
import org.jboss.logging.Logger;
import sh.chaser.agent.config.AgentConfig;
import sh.chaser.agent.domain.AgentError;
import sh.chaser.contracts.DataPlaneContract;

/**
 * Serves a session's operation only with the gateway's token for that session and operation
 * ({@link DataPlaneContract#SESSION_TOKEN_HEADER}), checked against the path as the routes see it.
 * Without a configured key every session request is refused.
 */
@ApplicationScoped
public class SessionTokenGuard {

    private static final Logger LOG = Logger.getLogger(SessionTokenGuard.class);

    @Inject
    AgentConfig config;

    void install(@Observes Router router) {
        SessionTokens tokens = load(config.dataPlane().tokenPublicKey()).map(SessionTokens::new).orElse(null);
        router.route(DataPlaneContract.SESSIONS_PATH + "*").order(Integer.MIN_VALUE + 1).handler(ctx -> {
            String[] parts = DataPlaneContract.sessionAndOperation(ctx.normalizedPath());
            Optional<String> refusal = tokens == null
                    ? Optional.of("this host has no key to check session tokens with")
                    : parts == null
                            ? Optional.of("no session operation in " + ctx.normalizedPath())
                            : tokens.refusal(ctx.request().getHeader(DataPlaneContract.SESSION_TOKEN_HEADER), parts[0],
                                    parts[1],
                                    System.currentTimeMillis() / 1000);
            if (refusal.isPresent()) {
                Answers.error(ctx, AgentError.UNAUTHORIZED, refusal.get());
                return;
            }
            ctx.next();
        });
    }

    private static Optional<PublicKey> load(Optional<String> location) {
        if (location.isEmpty() || location.get().isBlank()) {
            LOG.warn(
                    "no chaser.agent.data-plane.token-public-key (CHASER_INTERNAL_JWT_PUBLIC_KEY): the data plane refuses"
                            + " every session request");
            return Optional.empty();
        }
        try {
            return Optional.of(SessionTokens.publicKey(Files.readString(Path.of(location.get()))));
        } catch (Exception e) {
            throw new IllegalStateException(
                    "cannot read the session token key " + location.get() + ": " + e.getMessage(), e);
        }
    }
}
