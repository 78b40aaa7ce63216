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
import sh.chaser.session.domain.ErrorCode;
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
    @Inject
    HostCredentials credentials;

    /** @param issuedCredential the host's new credential (first registration of its id), else null */
    public record Registered(HostEntity host, String issuedCredential) {}

    /** Refuses a join under an id another host registered, unless it brings that host's credential. */
    @WithSession
    public Uni<Void> mayJoin(String hostId, String credential) {
        return hosts.findById(hostId).flatMap(existing -> {
            if (existing != null && existing.credentialHash != null
                    && !HostCredentials.matches(existing.credentialHash, credential)) {
                LOG.warnf("join of host %s refused: the id is registered with another credential", hostId);
                return Uni.createFrom().failure(ErrorCode.FORBIDDEN.exception("host id " + hostId
                        + " is registered by another host; joining again under it needs that host's credential"));
            }
            return Uni.createFrom().voidItem();
        });
    }

    /**
     * Registers a host presenting the installation's join token; an id already registered needs
     * the credential its first registration issued: no host takes over another's id.
     */
    @WithTransaction
    public Uni<Registered> register(String hostId, String grpcAddress, List<String> runtimes, String agentVersion,
            Capacity capacity, String joinToken, String credential) {
        if (!credentials.joinTokenValid(joinToken)) {
            LOG.warnf("registration of host %s at %s refused: no valid join token", hostId, grpcAddress);
            return Uni.createFrom().failure(ErrorCode.UNAUTHORIZED.exception(
                    "a host registers with the installation's join token (CHASER_HOST_JOIN_TOKEN_FILE)"));
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return hosts.findById(hostId).flatMap(existing -> {
            if (existing != null && existing.credentialHash != null
                    && !HostCredentials.matches(existing.credentialHash, credential)) {
                LOG.warnf("registration of host %s at %s refused: the id is registered with another credential",
                        hostId, grpcAddress);
                return Uni.createFrom().failure(ErrorCode.FORBIDDEN.exception("host id " + hostId
                        + " is registered by another host; give this host another id, or remove the old one"));
            }
            HostEntity host = existing != null ? existing : new HostEntity();
            String issued = host.credentialHash == null ? credentials.newCredential() : null;
            if (issued != null) {
                host.credentialHash = HostCredentials.hash(issued);
            }
            host.id = hostId;
            host.grpcAddress = grpcAddress;
            host.runtimes = runtimes.toArray(String[]::new);
            host.agentVersion = agentVersion;
            host.registeredAt = now;
            apply(host, capacity, now);
            LOG.infof("Host %s registered at %s with runtimes %s", hostId, grpcAddress, runtimes);
            Uni<HostEntity> saved = existing != null ? Uni.createFrom().item(host) : hosts.persist(host);
            return saved.invoke(reports::heard).map(h -> new Registered(h, issued));
        });
    }

    /**
     * @return the host as heard now, or null when it is unknown (or has no credential yet) and must
     *         register again
     */
    @WithTransaction
    public Uni<HostEntity> heartbeat(String hostId, Capacity capacity, String credential) {
        return hosts.findById(hostId).flatMap(host -> {
            if (host == null || host.credentialHash == null) {
                return Uni.createFrom().nullItem();
            }
            if (!HostCredentials.matches(host.credentialHash, credential)) {
                LOG.warnf("heartbeat for host %s refused: wrong credential", hostId);
                return Uni.createFrom().failure(ErrorCode.FORBIDDEN.exception("not this host's credential"));
            }
            apply(host, capacity, OffsetDateTime.now(ZoneOffset.UTC));
            reports.heard(host);
            return Uni.createFrom().item(host);
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
