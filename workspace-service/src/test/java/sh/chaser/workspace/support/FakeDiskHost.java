package sh.chaser.workspace.support;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import sh.chaser.contracts.ErrorCatalog;
import sh.chaser.proto.session.v1.HostCapacity;
import sh.chaser.proto.session.v1.HostInfo;
import sh.chaser.proto.session.v1.HostRegistryGrpc;
import sh.chaser.proto.session.v1.ListHostsRequest;
import sh.chaser.proto.session.v1.ListHostsResponse;
import sh.chaser.proto.vmagent.v1.CreateDiskRequest;
import sh.chaser.proto.vmagent.v1.DeleteResult;
import sh.chaser.proto.vmagent.v1.Disk;
import sh.chaser.proto.vmagent.v1.DiskList;
import sh.chaser.proto.vmagent.v1.DiskRef;
import sh.chaser.proto.vmagent.v1.DisksGrpc;
import sh.chaser.proto.vmagent.v1.ImportGitRequest;
import sh.chaser.proto.vmagent.v1.ImportProgress;
import sh.chaser.proto.vmagent.v1.ListDisksRequest;

/**
 * One host for workspace-service's tests without root, on loopback in the test JVM: the host
 * registry lists it (as session-service would) and its Disks API keeps disks as names. An import
 * of {@code owner/unreachable} is refused as an agent refuses a git server it cannot reach; any
 * other import succeeds. It proves how workspace-service drives a host, not what a host does.
 */
public final class FakeDiskHost implements QuarkusTestResourceLifecycleManager {

    public static final Set<String> DISKS = ConcurrentHashMap.newKeySet();
    private Server server;

    @Override
    public Map<String, String> start() {
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(new Registry())
                    .addService(new Disks()).build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String port = Integer.toString(server.getPort());
        return Map.of("quarkus.grpc.clients.session-service.host", "127.0.0.1",
                "quarkus.grpc.clients.session-service.port", port, "quarkus.grpc.clients.session-service.test-port",
                port);
    }

    @Override
    public void stop() {
        server.shutdownNow();
    }

    private final class Registry extends HostRegistryGrpc.HostRegistryImplBase {

        @Override
        public void listHosts(ListHostsRequest request, StreamObserver<ListHostsResponse> answer) {
            answer.onNext(ListHostsResponse.newBuilder()
                    .addHosts(
                            HostInfo.newBuilder().setHostId("fake-host").setGrpcAddress("127.0.0.1:" + server.getPort())
                                    .addRuntimes("namespace")
                                    .setCapacity(HostCapacity.newBuilder().setDiskFreeBytes(500L << 30)))
                    .build());
            answer.onCompleted();
        }
    }

    private static final class Disks extends DisksGrpc.DisksImplBase {

        @Override
        public void createDisk(CreateDiskRequest request, StreamObserver<Disk> answer) {
            DISKS.add(request.getDiskId());
            answer.onNext(
                    Disk.newBuilder().setDiskId(request.getDiskId()).setCapBytes(10L << 30).setStore("copy").build());
            answer.onCompleted();
        }

        @Override
        public void deleteDisk(DiskRef request, StreamObserver<DeleteResult> answer) {
            answer.onNext(DeleteResult.newBuilder().setExisted(DISKS.remove(request.getDiskId())).build());
            answer.onCompleted();
        }

        @Override
        public void diskUsage(DiskRef request, StreamObserver<Disk> answer) {
            answer.onNext(Disk.newBuilder().setDiskId(request.getDiskId()).setUsedBytes(4096).build());
            answer.onCompleted();
        }

        @Override
        public void listDisks(ListDisksRequest request, StreamObserver<DiskList> answer) {
            var list = DiskList.newBuilder();
            DISKS.forEach(id -> list.addDisks(sh.chaser.proto.vmagent.v1.DiskEntry.newBuilder().setDiskId(id)));
            answer.onNext(list.build());
            answer.onCompleted();
        }

        @Override
        public void importGit(ImportGitRequest request, StreamObserver<ImportProgress> answer) {
            if (request.getRepository().equals("owner/unreachable")) {
                Metadata trailers = new Metadata();
                trailers.put(ErrorCatalog.TRAILER, "git_unreachable");
                answer.onError(Status.UNAVAILABLE.withDescription("the git server could not be reached")
                        .asRuntimeException(trailers));
                return;
            }
            answer.onNext(ImportProgress.newBuilder().setPhase("done").setPercent(100).build());
            answer.onCompleted();
        }
    }
}
