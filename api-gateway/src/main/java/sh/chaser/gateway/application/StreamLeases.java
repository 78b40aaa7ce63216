package sh.chaser.gateway.application;

import io.quarkus.grpc.GrpcClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import sh.chaser.proto.session.v1.AcquireLeaseRequest;
import sh.chaser.proto.session.v1.MutinySessionLeasesGrpc;
import sh.chaser.proto.session.v1.ReleaseLeaseRequest;
import sh.chaser.proto.session.v1.RenewLeasesRequest;

/**
 * The connection leases of the streams this gateway instance holds open (PTYs, output streams,
 * forwarded WebSockets): taken before a stream opens, renewed together every few seconds, released
 * when it closes. A lease session-service no longer knows closes its stream; if this instance dies
 * its leases expire by themselves.
 */
@ApplicationScoped
public class StreamLeases {

    private static final Logger LOG = Logger.getLogger(StreamLeases.class);
    private static final String HOLDER = "api-gateway@" + ManagementFactory.getRuntimeMXBean().getName();

    @GrpcClient("session-service")
    MutinySessionLeasesGrpc.MutinySessionLeasesStub leases;

    private final Map<String, Runnable> held = new ConcurrentHashMap<>();
    private volatile long renewEverySeconds = 5;
    private ScheduledExecutorService renewer;

    void start(@Observes StartupEvent event) {
        renewer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "stream-lease-renewer"));
        renewer.scheduleWithFixedDelay(this::renew, 1, 1, TimeUnit.SECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        renewer.shutdownNow();
    }

    /** Takes a lease; {@code onLost} runs if session-service drops it (the session ended). */
    public Uni<String> acquire(String accountId, String sessionId, String kind, Runnable onLost) {
        return leases.withDeadlineAfter(5, TimeUnit.SECONDS).acquireLease(AcquireLeaseRequest.newBuilder()
                .setAccountId(accountId).setSessionId(sessionId).setHolder(HOLDER).setKind(kind).build())
                .map(lease -> {
                    renewEverySeconds = Math.max(1, lease.getTtlSeconds() / 3);
                    held.put(lease.getLeaseId(), onLost);
                    return lease.getLeaseId();
                });
    }

    /** Releases the lease; the item once session-service confirmed it (or failed: the lease then expires). */
    public Uni<Void> released(String leaseId) {
        if (leaseId == null || held.remove(leaseId) == null) {
            return Uni.createFrom().voidItem();
        }
        return leases.withDeadlineAfter(5, TimeUnit.SECONDS)
                .releaseLease(ReleaseLeaseRequest.newBuilder().setLeaseId(leaseId).build()).replaceWithVoid()
                .onFailure().recoverWithItem(failure -> {
                    LOG.debugf("lease %s not released (%s); it expires", leaseId, failure.getMessage());
                    return null;
                });
    }

    public void release(String leaseId) {
        if (leaseId == null || held.remove(leaseId) == null) {
            return;
        }
        leases.withDeadlineAfter(5, TimeUnit.SECONDS)
                .releaseLease(ReleaseLeaseRequest.newBuilder().setLeaseId(leaseId).build())
                .subscribe().with(done -> {}, failure -> LOG.debugf("lease %s not released (%s); it expires",
                        leaseId, failure.getMessage()));
    }

    private long lastRenewal;

    private void renew() {
        long now = System.nanoTime();
        if (held.isEmpty() || now - lastRenewal < Duration.ofSeconds(renewEverySeconds).toNanos()) {
            return;
        }
        lastRenewal = now;
        List<String> ids = List.copyOf(held.keySet());
        try {
            var answer = leases.withDeadlineAfter(5, TimeUnit.SECONDS)
                    .renewLeases(RenewLeasesRequest.newBuilder().addAllLeaseIds(ids).build())
                    .await().atMost(Duration.ofSeconds(6));
            for (String lost : answer.getLostLeaseIdsList()) {
                Runnable onLost = held.remove(lost);
                if (onLost != null) {
                    onLost.run();
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("could not renew %d stream leases: %s", ids.size(), e.getMessage());
        }
    }

}
