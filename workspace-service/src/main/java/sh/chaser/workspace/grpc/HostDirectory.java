package sh.chaser.workspace.grpc;

import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import sh.chaser.proto.session.v1.HostRegistryGrpc;
import sh.chaser.proto.session.v1.ListHostsRequest;
import sh.chaser.workspace.domain.ErrorCode;

/** The live vm-agent hosts, as session-service's registry knows them (read briefly cached). */
@ApplicationScoped
public class HostDirectory {

    /** @param runtimes the isolation drivers the host runs sessions with */
    public record Host(String id, String address, long diskFreeBytes, List<String> runtimes) {}

    private static final long CACHE_NANOS = TimeUnit.SECONDS.toNanos(2);

    @GrpcClient("session-service")
    HostRegistryGrpc.HostRegistryBlockingStub registry;

    private volatile List<Host> cached = List.of();
    private volatile long cachedAt;

    public List<Host> live() {
        if (System.nanoTime() - cachedAt < CACHE_NANOS && !cached.isEmpty()) {
            return cached;
        }
        try {
            List<Host> hosts = registry.withDeadlineAfter(5, TimeUnit.SECONDS)
                    .listHosts(ListHostsRequest.getDefaultInstance())
                    .getHostsList().stream()
                    .map(h -> new Host(h.getHostId(), h.getGrpcAddress(), h.getCapacity().getDiskFreeBytes(),
                            List.copyOf(h.getRuntimesList())))
                    .toList();
            cached = hosts;
            cachedAt = System.nanoTime();
            return hosts;
        } catch (StatusRuntimeException e) {
            throw ErrorCode.HOST_UNAVAILABLE.exception("the host registry cannot be reached; try again shortly");
        }
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
