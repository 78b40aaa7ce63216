package sh.chaser.session.application;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.jboss.logging.Logger;
import sh.chaser.session.persistence.HostEntity;
import sh.chaser.session.persistence.PgHostRepository;

/**
 * The hosts that can run sessions: vm-agents register on start and heartbeat their capacity; each
 * is reported on {@code chaser.hosts.v1} (workspace-service places disks from those reports).
 */
@ApplicationScoped
public class RegisteredHosts {

    private static final Logger LOG = Logger.getLogger(RegisteredHosts.class);

    public record Capacity(int cpus, long memoryBytes, long diskFreeBytes, int sandboxesRunning, int sandboxesMax) {}

    @Inject
    PgHostRepository hosts;
    @Inject
    HostReporter reports;

    @WithTransaction
    public Uni<HostEntity> register(String hostId, String grpcAddress, List<String> runtimes, String agentVersion,
            Capacity capacity) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return hosts.findById(hostId).flatMap(existing -> {
            HostEntity host = existing != null ? existing : new HostEntity();
            host.id = hostId;
            host.grpcAddress = grpcAddress;
            host.runtimes = runtimes.toArray(String[]::new);
            host.agentVersion = agentVersion;
            host.registeredAt = now;
            apply(host, capacity, now);
            LOG.infof("Host %s registered at %s with runtimes %s", hostId, grpcAddress, runtimes);
            return existing != null ? Uni.createFrom().item(host) : hosts.persist(host);
        }).invoke(reports::heard);
    }

    /** @return the host as heard now, or null when it is unknown and must register again */
    @WithTransaction
    public Uni<HostEntity> heartbeat(String hostId, Capacity capacity) {
        return hosts.findById(hostId).invoke(host -> {
            if (host != null) {
                apply(host, capacity, OffsetDateTime.now(ZoneOffset.UTC));
                reports.heard(host);
            }
        });
    }

    /** Hosts that heartbeated within {@code lostAfterSeconds}. */
    @WithSession
    public Uni<List<HostEntity>> live(int lostAfterSeconds) {
        OffsetDateTime since = OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(lostAfterSeconds);
        return hosts.heardSince(since);
    }

    private static void apply(HostEntity host, Capacity c, OffsetDateTime now) {
        host.cpus = c.cpus();
        host.memoryBytes = c.memoryBytes();
        host.diskFreeBytes = c.diskFreeBytes();
        host.sandboxesRunning = c.sandboxesRunning();
        host.sandboxesMax = c.sandboxesMax();
        host.lastHeartbeatAt = now;
    }
}
