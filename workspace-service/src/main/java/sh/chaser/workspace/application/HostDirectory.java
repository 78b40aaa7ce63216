package sh.chaser.workspace.application;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import sh.chaser.common.persistence.Tx;
import sh.chaser.workspace.config.WorkspaceConfig;
import sh.chaser.workspace.domain.ErrorCode;
import sh.chaser.workspace.persistence.PgHostRepository;

/**
 * The live vm-agent hosts, as session-service's registry reports them on chaser.hosts.v1 (kept in
 * this service's database by HostReportsConsumer). Never a call to
 * session-service: the dependency between the two goes one way.
 */
@ApplicationScoped
public class HostDirectory {

    /** @param runtimes the isolation drivers the host runs sessions with */
    public record Host(String id, String address, long diskFreeBytes, List<String> runtimes) {}

    @Inject
    PgHostRepository hosts;
    @Inject
    WorkspaceConfig config;

    /** Read each time: a small table, and a host is used from its first report on. */
    public List<Host> live() {
        var since = Tx.now().minus(config.hosts().lostAfter());
        return Tx.read(() -> hosts.reportedSince(since)).stream()
                .map(h -> new Host(h.id, h.grpcAddress, h.diskFreeBytes, List.of(h.runtimes)))
                .toList();
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
