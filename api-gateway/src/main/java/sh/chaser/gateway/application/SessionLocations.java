package sh.chaser.gateway.application;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;
import sh.chaser.gateway.config.GatewayConfig;
import sh.chaser.proto.session.v1.LocateSessionRequest;
import sh.chaser.proto.session.v1.LocateSessionResponse;
import sh.chaser.proto.session.v1.MutinySessionLocatorGrpc;

/**
 * Where a session of an account runs, through session-service's SessionLocator, remembered for a
 * moment (a data-plane client makes many requests in a row). Another account's session is not found.
 */
@ApplicationScoped
public class SessionLocations {

    private static final long DEADLINE_MS = 5_000;

    @GrpcClient("session-service")
    MutinySessionLocatorGrpc.MutinySessionLocatorStub locator;

    private final Cache<String, LocateSessionResponse> cache;

    @Inject
    public SessionLocations(GatewayConfig config) {
        cache = Caffeine.newBuilder().expireAfterWrite(config.dataPlane().locationCacheTtl()).maximumSize(100_000)
                .build();
    }

    public Uni<LocateSessionResponse> locate(String accountId, String sessionId, boolean fresh) {
        String key = accountId + "/" + sessionId;
        LocateSessionResponse known = fresh ? null : cache.getIfPresent(key);
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        return locator.withDeadlineAfter(DEADLINE_MS, TimeUnit.MILLISECONDS)
                .locateSession(
                        LocateSessionRequest.newBuilder().setAccountId(accountId).setSessionId(sessionId).build())
                .invoke(found -> cache.put(key, found));
    }

    /** Forgets a location the host contradicted (the session ended or moved). */
    public void forget(String accountId, String sessionId) {
        cache.invalidate(accountId + "/" + sessionId);
    }
}
