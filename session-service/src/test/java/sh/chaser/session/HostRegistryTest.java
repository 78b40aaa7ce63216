package sh.chaser.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sh.chaser.contracts.ErrorCatalog;
import sh.chaser.contracts.EventTypes;
import sh.chaser.proto.events.v1.HostReported;
import sh.chaser.proto.session.v1.HeartbeatRequest;
import sh.chaser.proto.session.v1.HostCapacity;
import sh.chaser.proto.session.v1.HostRegistryGrpc;
import sh.chaser.proto.session.v1.ListHostsRequest;
import sh.chaser.proto.session.v1.RegisterHostRequest;
import sh.chaser.testkit.ServiceDatabase;
import sh.chaser.testkit.ServiceEndpoints;
import sh.chaser.testkit.ServiceInfraResource;
import sh.chaser.testkit.TestKafka;

@QuarkusTest
@QuarkusTestResource(value = ServiceInfraResource.class, initArgs = @ResourceArg(name = "database", value = "chaser_session"))
class HostRegistryTest {

    /** The join token of the test configuration (src/test/resources/host-join.token). */
    static final String JOIN_TOKEN = "test-join-token";

    @TestHTTPResource(value = "/", management = true)
    URL management;

    @TestHTTPResource("/")
    URL base;

    ManagedChannel channel;
    HostRegistryGrpc.HostRegistryBlockingStub registry;

    @BeforeEach
    void connect() {
        channel = ServiceEndpoints.grpcChannel(base);
        registry = HostRegistryGrpc.newBlockingStub(channel);
    }

    @AfterEach
    void close() {
        channel.shutdownNow();
    }

    @Test
    void aRegisteredHostIsStoredAndItsHeartbeatsAreKnown() throws Exception {
        var capacity = HostCapacity.newBuilder().setCpus(2).setMemoryBytes(1L << 30).setSandboxesMax(8);
        var response = registry.registerHost(RegisterHostRequest.newBuilder().setHostId("host-a")
                .setGrpcAddress("127.0.0.1:9999").addRuntimes("namespace").setCapacity(capacity)
                .setJoinToken(JOIN_TOKEN).build());
        assertEquals(5, response.getHeartbeatIntervalSeconds());
        assertTrue(ServiceDatabase.dump("hosts").contains("host-a"));
        String credential = response.getHostCredential();
        assertTrue(credential.length() >= 40, "the first registration issues the host's credential");
        assertFalse(ServiceDatabase.dump("hosts").contains(credential), "kept only as a hash");

        assertTrue(registry.heartbeat(HeartbeatRequest.newBuilder().setHostId("host-a")
                .setCapacity(capacity.setSandboxesRunning(3)).setHostCredential(credential).build()).getKnown());
        assertTrue(ServiceDatabase.dump("hosts").contains(",3,8,"), ServiceDatabase.dump("hosts"));

        assertFalse(registry.heartbeat(HeartbeatRequest.newBuilder().setHostId("never-registered").build()).getKnown());
    }

    @Test
    void everyRegistrationAndHeartbeatIsReportedOnTheHostsTopic() throws Exception {
        String host = "reported-" + UUID.randomUUID();
        var props = TestKafka.clientProperties();
        props.put("group.id", "test-" + host);
        props.put("auto.offset.reset", "earliest");
        try (var consumer = new KafkaConsumer<>(props,
                new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of("chaser.hosts.v1"));
            String credential = registry.registerHost(RegisterHostRequest.newBuilder().setHostId(host)
                    .setGrpcAddress("127.0.0.1:7777").addRuntimes("qemu").setJoinToken(JOIN_TOKEN)
                    .setCapacity(HostCapacity.newBuilder().setDiskFreeBytes(123L << 20)).build()).getHostCredential();
            registry.heartbeat(HeartbeatRequest.newBuilder().setHostId(host).setHostCredential(credential)
                    .setCapacity(HostCapacity.newBuilder().setDiskFreeBytes(77L << 20)).build());
            var seen = new ArrayList<String>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (seen.size() < 2 && System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    if (host.equals(record.key())) {
                        seen.add(record.value());
                    }
                }
            }
            assertEquals(2, seen.size(), "a report per registration and heartbeat: " + seen);
            assertTrue(seen.get(0).contains("\"type\":\"sh.chaser.host.reported.v1\""), seen.get(0));
            var report = EventTypes.<HostReported>data(
                    new ObjectMapper().readTree(seen.get(1)).path("data").toString(),
                    HostReported.newBuilder());
            assertEquals("127.0.0.1:7777", report.getGrpcAddress());
            assertEquals(List.of("qemu"), report.getRuntimesList());
            assertEquals(77L << 20, report.getDiskFreeBytes());
        }
    }

    @Test
    void onlyHostsHeardFromRecentlyAreListed() throws Exception {
        var capacity = HostCapacity.newBuilder().setCpus(2).setDiskFreeBytes(5L << 30).setSandboxesMax(8);
        for (String id : new String[]{ "live-host", "silent-host" }) {
            registry.registerHost(RegisterHostRequest.newBuilder().setHostId(id).setGrpcAddress("127.0.0.1:7000")
                    .addRuntimes("namespace").setCapacity(capacity).setJoinToken(JOIN_TOKEN).build());
        }
        try (var c = ServiceDatabase.connect(); var s = c.createStatement()) {
            s.execute("UPDATE hosts SET last_heartbeat_at = now() - interval '31 seconds' WHERE id = 'silent-host'");
        }
        var anonymous = assertThrows(StatusRuntimeException.class,
                () -> registry.listHosts(ListHostsRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNAUTHENTICATED, anonymous.getStatus().getCode(), "addresses are not for anyone");
        var listed = registry.listHosts(ListHostsRequest.newBuilder().setJoinToken(JOIN_TOKEN).build()).getHostsList();
        var live = listed.stream().filter(h -> h.getHostId().equals("live-host")).findFirst().orElseThrow();
        assertEquals("127.0.0.1:7000", live.getGrpcAddress());
        assertEquals(5L << 30, live.getCapacity().getDiskFreeBytes());
        assertFalse(listed.stream().anyMatch(h -> h.getHostId().equals("silent-host")));
    }

    @Test
    void noCallerTakesOverAHostOrRegistersWithoutTheJoinToken() throws Exception {
        String id = "victim-" + UUID.randomUUID();
        var legit = RegisterHostRequest.newBuilder().setHostId(id).setGrpcAddress("127.0.0.1:7100")
                .addRuntimes("namespace").setJoinToken(JOIN_TOKEN).build();
        String credential = registry.registerHost(legit).getHostCredential();

        // an attacker on the host network: no token, a wrong token, the token without the host's credential
        for (var rogue : new RegisterHostRequest[]{
                legit.toBuilder().setJoinToken("").setGrpcAddress("10.6.6.6:1").build(),
                legit.toBuilder().setJoinToken("guess").setGrpcAddress("10.6.6.6:1").build() }) {
            var e = assertThrows(StatusRuntimeException.class, () -> registry.registerHost(rogue));
            assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
        }
        var takeover = assertThrows(StatusRuntimeException.class, () -> registry.registerHost(
                legit.toBuilder().setGrpcAddress("10.6.6.6:1").setHostCredential("not-its-credential").build()));
        assertEquals(Status.Code.PERMISSION_DENIED, takeover.getStatus().getCode());
        assertEquals("forbidden", takeover.getTrailers().get(ErrorCatalog.TRAILER));
        var forged = assertThrows(StatusRuntimeException.class, () -> registry.heartbeat(HeartbeatRequest
                .newBuilder().setHostId(id).setHostCredential("not-its-credential").build()));
        assertEquals(Status.Code.PERMISSION_DENIED, forged.getStatus().getCode());
        assertFalse(ServiceDatabase.dump("hosts").contains("10.6.6.6"), "nothing of the host changed");

        // positive control: the host itself, with its credential, registers again (a restart) and heartbeats
        var again = registry.registerHost(legit.toBuilder().setGrpcAddress("127.0.0.1:7101")
                .setHostCredential(credential).build());
        assertEquals("", again.getHostCredential(), "it keeps the credential it has");
        assertTrue(ServiceDatabase.dump("hosts").contains("127.0.0.1:7101"));
        assertTrue(registry.heartbeat(HeartbeatRequest.newBuilder().setHostId(id).setHostCredential(credential)
                .build()).getKnown());
    }

    @Test
    void registrationWithoutAddressOrRuntimeIsRefused() {
        var e = assertThrows(StatusRuntimeException.class, () -> registry.registerHost(
                RegisterHostRequest.newBuilder().setHostId("host-b").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    }

    @Test
    void readyWithDatabaseAndKafkaAndObservable() {
        ServiceEndpoints.assertReadyWithDatabaseAndKafka(management);
        ServiceEndpoints.assertMetricsOnTheManagementPortOnly(management);
    }
}
