package sh.chaser.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sh.chaser.proto.workspace.v1.AcquireWorkspaceRequest;
import sh.chaser.proto.workspace.v1.ReleaseWorkspaceRequest;
import sh.chaser.proto.workspace.v1.WorkspaceLockGrpc;
import sh.chaser.testkit.ServiceDatabase;
import sh.chaser.testkit.ServiceEndpoints;
import sh.chaser.testkit.ServiceInfraResource;
import sh.chaser.testkit.TestKafka;

/** The one-session lock over gRPC, and the host directory fed by chaser.hosts.v1. */
@QuarkusTest
@QuarkusTestResource(value = ServiceInfraResource.class, initArgs = @ResourceArg(name = "database", value = "chaser_workspace"))
class WorkspaceLockTest {

    @TestHTTPResource("/")
    URL base;

    ManagedChannel channel;
    WorkspaceLockGrpc.WorkspaceLockBlockingStub lock;
    final UUID account = UUID.randomUUID();
    final UUID workspace = UUID.randomUUID();

    @BeforeEach
    void setUp() throws Exception {
        channel = ServiceEndpoints.grpcChannel(base);
        lock = WorkspaceLockGrpc.newBlockingStub(channel);
        try (var c = ServiceDatabase.connect();
                var s = c.prepareStatement("INSERT INTO workspaces (id, account_id, name, "
                        + "session_type, status, host_id, created_at, updated_at) VALUES (?, ?, 'locked', 'sandbox', 'ready', 'h', now(), now())")) {
            s.setObject(1, workspace);
            s.setObject(2, account);
            s.executeUpdate();
        }
    }

    @AfterEach
    void close() {
        channel.shutdownNow();
    }

    @Test
    void oneSessionHoldsTheWorkspaceUntilSessionServiceGivesItBack() throws Exception {
        String s1 = UUID.randomUUID().toString();
        assertTrue(acquire("locked", s1).getAcquired());
        var again = acquire("LOCKED", UUID.randomUUID().toString());
        assertFalse(again.getAcquired());
        assertEquals(s1, again.getExistingSessionId());

        var release = ReleaseWorkspaceRequest.newBuilder().setAccountId(account.toString())
                .setWorkspaceId(workspace.toString()).setSessionId(s1).build();
        var released = lock.releaseWorkspace(release);
        assertTrue(released.getReleased());
        assertEquals("", released.getEvictedReason(), "nobody evicted it");
        assertFalse(lock.releaseWorkspace(release).getReleased(), "idempotent");
        assertEquals("null," + s1, columns());

        String s2 = UUID.randomUUID().toString();
        assertTrue(acquire(workspace.toString(), s2).getAcquired());
        assertFalse(lock.releaseWorkspace(release).getReleased(), "a late release of an older session changes nothing");
        assertFalse(lock.releaseWorkspace(ReleaseWorkspaceRequest.newBuilder().setAccountId(UUID.randomUUID()
                .toString()).setWorkspaceId(workspace.toString()).setSessionId(s2).build()).getReleased(),
                "nor does another account's");
        assertEquals(s2 + "," + s2, columns());
    }

    @Test
    void hostReportsOnKafkaBecomeTheHostsWorkspacesArePlacedOn() throws Exception {
        String host = "reported-" + UUID.randomUUID();
        String now = java.time.Instant.now().toString();
        report(host, "127.0.0.1:1111", now);
        awaitHost(host, "127.0.0.1:1111");
        report(host, "127.0.0.1:2222", java.time.Instant.parse(now).minusSeconds(60).toString());
        report(host, "127.0.0.1:3333", java.time.Instant.parse(now).plusSeconds(1).toString());
        awaitHost(host, "127.0.0.1:3333");
        assertFalse(ServiceDatabase.dump("hosts").contains("127.0.0.1:2222"), "an older report changes nothing");
    }

    private sh.chaser.proto.workspace.v1.AcquireWorkspaceResponse acquire(String selector, String session) {
        return lock.acquireWorkspace(AcquireWorkspaceRequest.newBuilder().setAccountId(account.toString())
                .setSelector(selector).setSessionType("sandbox").setSessionId(session).build());
    }

    private void report(String host, String address, String at) throws Exception {
        Properties p = TestKafka.clientProperties();
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            String json = """
                    {"specversion":"1.0","id":"%s","source":"/session-service","type":"sh.chaser.host.reported.v1",
                     "subject":"%s","data":{"host_id":"%s","grpc_address":"%s","runtimes":["namespace"],
                     "disk_free_bytes":"1073741824","sandboxes_max":4,"reported_at":"%s"}}"""
                    .formatted(UUID.randomUUID(), host, host, address, at);
            producer.send(new ProducerRecord<>("chaser.hosts.v1", host, json)).get(10, TimeUnit.SECONDS);
        }
    }

    private void awaitHost(String host, String address) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!ServiceDatabase.dump("hosts").contains(host + "," + address)) {
            assertTrue(System.nanoTime() < deadline, "host " + host + " at " + address + " never recorded: "
                    + ServiceDatabase.dump("hosts"));
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    private String columns() throws Exception {
        try (var c = ServiceDatabase.connect();
                var s = c.createStatement();
                var rs = s.executeQuery(
                        "SELECT active_session_id, last_session_id FROM workspaces WHERE id = '" + workspace + "'")) {
            rs.next();
            return rs.getString(1) + "," + rs.getString(2);
        }
    }

}
