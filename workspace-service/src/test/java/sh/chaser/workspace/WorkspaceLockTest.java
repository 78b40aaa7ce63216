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
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sh.chaser.proto.workspace.v1.AcquireWorkspaceRequest;
import sh.chaser.proto.workspace.v1.ReleaseWorkspaceRequest;
import sh.chaser.proto.workspace.v1.WorkspaceLockGrpc;
import sh.chaser.testkit.ServiceDatabase;
import sh.chaser.testkit.ServiceEndpoints;
import sh.chaser.testkit.ServiceInfraResource;

/** The one-session lock over gRPC, and active/last session ids kept true by session events (once each). */
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
    void oneSessionHoldsTheWorkspaceUntilItsTerminationIsSeenOnce() throws Exception {
        String s1 = UUID.randomUUID().toString();
        assertTrue(acquire("locked", s1).getAcquired());
        var again = acquire("LOCKED", UUID.randomUUID().toString());
        assertFalse(again.getAcquired());
        assertEquals(s1, again.getExistingSessionId());

        String event = UUID.randomUUID().toString();
        publish(event, s1, "terminated");
        awaitColumns("null," + s1);

        String s2 = UUID.randomUUID().toString();
        assertTrue(acquire(workspace.toString(), s2).getAcquired());
        publish(event, s1, "terminated"); // a replay changes nothing
        publish(UUID.randomUUID().toString(), s1, "terminated"); // nor does a late event of an older session
        String marker = UUID.randomUUID().toString();
        publish(marker, UUID.randomUUID().toString(), "terminated");
        awaitProcessed(marker);
        assertEquals(s2 + "," + s2, columns());

        var release = ReleaseWorkspaceRequest.newBuilder().setAccountId(account.toString())
                .setWorkspaceId(workspace.toString()).setSessionId(s2).build();
        assertTrue(lock.releaseWorkspace(release).getReleased());
        assertFalse(lock.releaseWorkspace(release).getReleased());
        assertEquals("null," + s2, columns());
    }

    private sh.chaser.proto.workspace.v1.AcquireWorkspaceResponse acquire(String selector, String session) {
        return lock.acquireWorkspace(AcquireWorkspaceRequest.newBuilder().setAccountId(account.toString())
                .setSelector(selector).setSessionType("sandbox").setSessionId(session).build());
    }

    private void publish(String eventId, String session, String status) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            String json = """
                    {"specversion":"1.0","id":"%s","source":"/session-service","type":"sh.chaser.session.state_changed.v1",
                     "subject":"%s","data":{"session_id":"%s","account_id":"%s","session_type":"sandbox",
                     "workspace_id":"%s","host_id":"h","status":"%s","termination_reason":"user"}}"""
                    .formatted(eventId, session, session, account, workspace, status);
            producer.send(new ProducerRecord<>("chaser.sessions.v1", session, json)).get(10, TimeUnit.SECONDS);
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

    private void awaitColumns(String expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!expected.equals(columns())) {
            assertTrue(System.nanoTime() < deadline, "still " + columns());
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    private void awaitProcessed(String eventId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!ServiceDatabase.dump("processed_events").contains(eventId)) {
            assertTrue(System.nanoTime() < deadline, "event " + eventId + " never processed");
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }
}
