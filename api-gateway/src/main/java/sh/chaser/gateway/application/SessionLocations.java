package sh.chaser.gateway.application;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import sh.chaser.gateway.config.GatewayConfig;
import sh.chaser.proto.session.v1.LocateSessionRequest;
import sh.chaser.proto.session.v1.LocateSessionResponse;
import sh.chaser.proto.session.v1.MutinySessionLocatorGrpc;

/**
 * Where a session of an account runs, through session-service's SessionLocator, remembered for a
 * moment (a data-plane client makes many requests in a row). Another account's session is not found.
 * While session-service does not answer (a restart), a session located before is still served
 * from where it was, for {@code data-plane.location-fallback}: the host still checks the session
 * and refuses one that ended, and nothing can end a session while session-service is away.
 */
@ApplicationScoped
public class SessionLocations {

    private static final Logger LOG = Logger.getLogger(SessionLocations.class);
    private static final long DEADLINE_MS = 5_000;

    @GrpcClient("session-service")
    MutinySessionLocatorGrpc.MutinySessionLocatorStub locator;

    private record Located(LocateSessionResponse response, long atNanos) {}

    private final Cache<String, Located> cache;
    private final long freshNanos;

    @Inject
    public SessionLocations(GatewayConfig config) {
        freshNanos = config.dataPlane().locationCacheTtl().toNanos();
        cache = Caffeine.newBuilder().expireAfterWrite(config.dataPlane().locationFallback()).maximumSize(100_000)
                .build();
    }

    public Uni<LocateSessionResponse> locate(String accountId, String sessionId, boolean fresh) {
        String key = accountId + "/" + sessionId;
        Located known = cache.getIfPresent(key);
        if (!fresh && known != null && System.nanoTime() - known.atNanos() < freshNanos) {
            return Uni.createFrom().item(known.response());
        }
        return locator.withDeadlineAfter(DEADLINE_MS, TimeUnit.MILLISECONDS)
                .locateSession(
                        LocateSessionRequest.newBuilder().setAccountId(accountId).setSessionId(sessionId).build())
                // only a running session's place is remembered: one paused, or still creating, may run
                // again (or first) in a moment, and its next request must see that at once
                .invoke(found -> {
                    if ("running".equals(found.getStatus())) {
                        cache.put(key, new Located(found, System.nanoTime()));
                    } else {
                        cache.invalidate(key);
                    }
                })
                .onFailure(failure -> known != null && unanswered(failure)).recoverWithItem(failure -> {
                    LOG.debugf("session-service does not answer (%s): session %s served where it was located",
                            failure.getMessage(), sessionId);
                    return known.response();
                });
    }

    /** Forgets a location the host contradicted (the session ended or moved). */
    public void forget(String accountId, String sessionId) {
        cache.invalidate(accountId + "/" + sessionId);
    }

    private static boolean unanswered(Throwable failure) {
        Status.Code code = Status.fromThrowable(failure).getCode();
        return code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED;
    }
}
