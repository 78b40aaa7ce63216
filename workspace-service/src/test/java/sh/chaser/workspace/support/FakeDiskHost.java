package sh.chaser.workspace.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import sh.chaser.common.messaging.CloudEvents;
import sh.chaser.contracts.ErrorCatalog;
import sh.chaser.contracts.EventTypes;
import sh.chaser.proto.events.v1.HostReported;
import sh.chaser.proto.vmagent.v1.CreateDiskRequest;
import sh.chaser.proto.vmagent.v1.DeleteResult;
import sh.chaser.proto.vmagent.v1.DestroyRequest;
import sh.chaser.proto.vmagent.v1.DestroyResponse;
import sh.chaser.proto.vmagent.v1.Disk;
import sh.chaser.proto.vmagent.v1.DiskList;
import sh.chaser.proto.vmagent.v1.DiskRef;
import sh.chaser.proto.vmagent.v1.DisksGrpc;
import sh.chaser.proto.vmagent.v1.ImportGitRequest;
import sh.chaser.proto.vmagent.v1.ImportProgress;
import sh.chaser.proto.vmagent.v1.ListDisksRequest;
import sh.chaser.proto.vmagent.v1.VmAgentGrpc;
import sh.chaser.testkit.ServiceDatabase;
import sh.chaser.testkit.TestKafka;

/**
 * One host for workspace-service's tests without root, on loopback in the test JVM: reported on
 * chaser.hosts.v1 (as session-service's registry does, through the real broker), its Disks API keeps
 * disks as names and its VmAgent API records which sessions' VMs were destroyed. An import
 * of {@code owner/unreachable} is refused as an agent refuses a git server it cannot reach; any
 * other import succeeds. It proves how workspace-service drives a host, not what a host does.
 */
public final class FakeDiskHost implements QuarkusTestResourceLifecycleManager {

    public static final Set<String> DISKS = ConcurrentHashMap.newKeySet();
    public static final Set<String> DESTROYED = ConcurrentHashMap.newKeySet();
    /** When each disk was made (now, unless a test says otherwise): the orphan sweep's age. */
    public static final Map<String, Instant> CREATED = new ConcurrentHashMap<>();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile String address;
    private Server server;

    /** Until workspace-service has read this host's report (its consumer starts with the application). */
    public static void awaitReported() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!ServiceDatabase.dump("hosts").contains("fake-host," + address + ",")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("workspace-service never read the fake host's report on chaser.hosts.v1");
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    @Override
    public Map<String, String> start() {
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(new Disks())
                    .addService(new Vms()).build().start();
            address = "127.0.0.1:" + server.getPort();
            report(address);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("the fake host could not be reported on Kafka", e);
        }
        // reported once: live for the whole test
        return Map.of("chaser.workspace.hosts.lost-after", "1h");
    }

    private static void report(String address) throws Exception {
        var report = HostReported.newBuilder().setHostId("fake-host").setGrpcAddress(address).addRuntimes("namespace")
                .setDiskFreeBytes(500L << 30).setSandboxesMax(10).setReportedAt(Instant.now().toString()).build();
        var event = CloudEvents.envelope(UUID.randomUUID(), "test", EventTypes.HOST_REPORTED, "fake-host",
                OffsetDateTime.now(), JSON.readTree(CloudEvents.json(report)));
        Properties p = TestKafka.clientProperties();
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("chaser.hosts.v1", "fake-host",
                    JSON.writeValueAsString(event)))
                    .get(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public void stop() {
        server.shutdownNow();
    }

    private static final class Vms extends VmAgentGrpc.VmAgentImplBase {

        @Override
        public void destroy(DestroyRequest request, StreamObserver<DestroyResponse> answer) {
            answer.onNext(DestroyResponse.newBuilder().setExisted(DESTROYED.add(request.getSessionId())).build());
            answer.onCompleted();
        }
    }

    private static final class Disks extends DisksGrpc.DisksImplBase {

        @Override
        public void createDisk(CreateDiskRequest request, StreamObserver<Disk> answer) {
            DISKS.add(request.getDiskId());
            CREATED.putIfAbsent(request.getDiskId(), Instant.now());
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
            DISKS.forEach(id -> list.addDisks(sh.chaser.proto.vmagent.v1.DiskEntry.newBuilder().setDiskId(id)
                    .setCreatedAt(CREATED.getOrDefault(id, Instant.now()).toString())));
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
