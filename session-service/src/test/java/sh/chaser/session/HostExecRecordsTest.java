package sh.chaser.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sh.chaser.proto.session.v1.ExecRecord;
import sh.chaser.proto.session.v1.HostRegistryGrpc;
import sh.chaser.proto.session.v1.RecordExecsRequest;
import sh.chaser.proto.session.v1.RegisterHostRequest;
import sh.chaser.testkit.ServiceDatabase;
import sh.chaser.testkit.ServiceEndpoints;
import sh.chaser.testkit.ServiceInfraResource;

/**
 * The execs a host journaled become audit entries in the outbox once each, under the session's
 * account, and only for sessions placed on that host; another host's credential records nothing.
 */
@QuarkusTest
@QuarkusTestResource(value = ServiceInfraResource.class, initArgs = @ResourceArg(name = "database", value = "chaser_session"))
class HostExecRecordsTest {

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
    void aHostRecordsItsOwnSessionsExecsOnceEach() throws Exception {
        String hostA = "exec-a-" + UUID.randomUUID();
        String hostB = "exec-b-" + UUID.randomUUID();
        String credentialA = register(hostA);
        register(hostB);
        UUID account = UUID.randomUUID();
        UUID onA = session(account, hostA);
        UUID onB = session(UUID.randomUUID(), hostB);

        ExecRecord ran = record(onA).setActor("user:" + account).setRequestId("req-1").setExitCode(3)
                .setDurationMs(12).build();
        ExecRecord started = record(onA).setActor("service_account:sa-1").setBackground(true).setCommandId("cmd-9")
                .build();
        ExecRecord elsewhere = record(onB).setActor("user:intruder").build();
        var answer = registry.recordExecs(request(hostA, credentialA).addExecs(ran).addExecs(started)
                .addExecs(elsewhere).build());
        assertEquals(2, answer.getRecorded());
        assertEquals(1, answer.getDropped(), "a session placed on another host is not this host's to record");

        // sent again (the host's confirmation was lost): stored once
        registry.recordExecs(request(hostA, credentialA).addExecs(ran).build());
        assertEquals(1, count(ran.getId()));
        assertEquals(1, count(started.getId()));
        assertEquals(0, count(elsewhere.getId()));
        String payload = payload(ran.getId());
        assertTrue(payload.contains("\"account_id\": \"" + account + "\"") && payload.contains("\"session.exec\"")
                && payload.contains("\"exit_code\": 3") && payload.contains("\"request_id\": \"req-1\"")
                && payload.contains("\"actor_type\": \"user\""), payload);
        assertTrue(payload(started.getId()).contains("\"command_id\": \"cmd-9\""), payload(started.getId()));
    }

    @Test
    void anotherHostsCredentialRecordsNothing() throws Exception {
        String hostA = "exec-c-" + UUID.randomUUID();
        String credentialA = register(hostA);
        String credentialB = register("exec-d-" + UUID.randomUUID());
        ExecRecord forged = record(session(UUID.randomUUID(), hostA)).build();
        var refused = assertThrows(StatusRuntimeException.class,
                () -> registry.recordExecs(request(hostA, credentialB).addExecs(forged).build()));
        assertEquals(Status.Code.PERMISSION_DENIED, refused.getStatus().getCode());
        assertEquals(0, count(forged.getId()));
        // positive control: the same record from the host itself is stored, so the probe would see it
        registry.recordExecs(request(hostA, credentialA).addExecs(forged).build());
        assertEquals(1, count(forged.getId()));
    }

    private String register(String host) {
        return registry.registerHost(RegisterHostRequest.newBuilder().setHostId(host).setGrpcAddress("127.0.0.1:7001")
                .addRuntimes("namespace").setJoinToken(HostRegistryTest.JOIN_TOKEN).build()).getHostCredential();
    }

    private static RecordExecsRequest.Builder request(String host, String credential) {
        return RecordExecsRequest.newBuilder().setHostId(host).setHostCredential(credential);
    }

    private static ExecRecord.Builder record(UUID session) {
        return ExecRecord.newBuilder().setId(UUID.randomUUID().toString()).setSessionId(session.toString())
                .setOccurredAt(Instant.now().toString());
    }

    private static UUID session(UUID account, String host) throws Exception {
        UUID id = UUID.randomUUID();
        try (var c = ServiceDatabase.connect();
                var st = c.prepareStatement("INSERT INTO sessions (id, account_id,"
                        + " session_type, ephemeral, host_id, runtime, status, created_by_type, created_by_id, created_at)"
                        + " VALUES (?, ?, 'sandbox', true, ?, 'namespace', 'running', 'user', 'u', ?)")) {
            st.setObject(1, id);
            st.setObject(2, account);
            st.setString(3, host);
            st.setTimestamp(4, Timestamp.from(Instant.now()));
            st.executeUpdate();
        }
        return id;
    }

    private static int count(String id) throws Exception {
        try (var c = ServiceDatabase.connect();
                var st = c.prepareStatement("SELECT count(*) FROM outbox WHERE id = ?")) {
            st.setObject(1, UUID.fromString(id));
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static String payload(String id) throws Exception {
        try (var c = ServiceDatabase.connect();
                var st = c.prepareStatement("SELECT payload::text FROM outbox WHERE id = ?")) {
            st.setObject(1, UUID.fromString(id));
            try (var rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : "";
            }
        }
    }
}
