package sh.chaser.workspace.application;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import sh.chaser.common.persistence.Tx;
import sh.chaser.workspace.config.WorkspaceConfig;
import sh.chaser.workspace.domain.ErrorCode;
import sh.chaser.workspace.persistence.PgHostRepository;

/**
 * The live vm-agent hosts, as session-service's registry reports them on chaser.hosts.v1 (kept in
 * this service's database by HostReportsConsumer; read briefly cached). Never a call to
 * session-service: the dependency between the two goes one way.
 */
@ApplicationScoped
public class HostDirectory {

    /** @param runtimes the isolation drivers the host runs sessions with */
    public record Host(String id, String address, long diskFreeBytes, List<String> runtimes) {}

    private static final long CACHE_NANOS = TimeUnit.SECONDS.toNanos(2);

    @Inject
    PgHostRepository hosts;
    @Inject
    WorkspaceConfig config;

    private volatile List<Host> cached = List.of();
    private volatile long cachedAt;

    public List<Host> live() {
        if (System.nanoTime() - cachedAt < CACHE_NANOS && !cached.isEmpty()) {
            return cached;
        }
        var since = Tx.now().minus(config.hosts().lostAfter());
        List<Host> live = Tx.read(() -> hosts.reportedSince(since)).stream()
                .map(h -> new Host(h.id, h.grpcAddress, h.diskFreeBytes, List.of(h.runtimes)))
                .toList();
        cached = live;
        cachedAt = System.nanoTime();
        return live;
    }

    public Optional<Host> find(String hostId) {
        return live().stream().filter(h -> h.id().equals(hostId)).findFirst();
    }

    /** The host keeping a workspace's disk, or 503 while it is not heard from. */
    public Host require(String hostId) {
        return find(hostId).orElseThrow(() -> ErrorCode.HOST_UNAVAILABLE.exception(
                "the host " + hostId + " that keeps this workspace is not available; try again shortly"));
    }
}
