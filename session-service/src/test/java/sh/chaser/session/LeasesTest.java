package sh.chaser.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sh.chaser.common.api.GrpcRefusals;
import sh.chaser.proto.session.v1.AcquireLeaseRequest;
import sh.chaser.proto.session.v1.RenewLeasesRequest;
import sh.chaser.proto.session.v1.SessionLeasesGrpc;
import sh.chaser.testkit.ServiceDatabase;
import sh.chaser.testkit.ServiceEndpoints;
import sh.chaser.testkit.ServiceInfraResource;

/** Connection leases over gRPC: granted on running sessions only, kept by renewal, gone when the holder stops. */
@QuarkusTest
@TestProfile(LeasesTest.ShortTtl.class)
@QuarkusTestResource(value = ServiceInfraResource.class, initArgs = @ResourceArg(name = "database", value = "chaser_session"))
class LeasesTest {

    public static class ShortTtl implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("chaser.session.leases.ttl", "2s", "chaser.session.reconcile.interval", "300ms");
        }
    }

    @TestHTTPResource("/")
    URL base;

    ManagedChannel channel;
    SessionLeasesGrpc.SessionLeasesBlockingStub leases;

    @BeforeEach
    void connect() {
        channel = ServiceEndpoints.grpcChannel(base);
        leases = SessionLeasesGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() {
        channel.shutdownNow();
    }

    private static UUID session(UUID account, String status) throws Exception {
        UUID id = UUID.randomUUID();
        try (var c = ServiceDatabase.connect();
                var st = c.prepareStatement("INSERT INTO sessions (id, account_id,"
                        + " session_type, ephemeral, status, created_by_type, created_by_id, created_at) VALUES (?, ?, 'sandbox',"
                        + " true, ?, 'user', 'test', now())")) {
            st.setObject(1, id);
            st.setObject(2, account);
            st.setString(3, status);
            st.executeUpdate();
        }
        return id;
    }

    private String acquire(UUID account, UUID session) {
        return leases.acquireLease(AcquireLeaseRequest.newBuilder().setAccountId(account.toString())
                .setSessionId(session.toString()).setHolder("test").setKind("pty").build()).getLeaseId();
    }

    @Test
    void aLeaseWhoseHolderStopsRenewingExpiresWhileARenewedOneStays() throws Exception {
        UUID account = UUID.randomUUID();
        UUID s = session(account, "running");
        String abandoned = acquire(account, s);
        String kept = acquire(account, s);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (ServiceDatabase.dump("connection_leases").contains(abandoned)) {
            assertTrue(System.nanoTime() < until, "the abandoned lease never expired");
            assertEquals(0, leases.renewLeases(RenewLeasesRequest.newBuilder().addLeaseIds(kept).build())
                    .getLostLeaseIdsCount());
            TimeUnit.MILLISECONDS.sleep(200); // the holder's renewal rhythm, not a wait for a condition
        }
        assertTrue(ServiceDatabase.dump("connection_leases").contains(kept));
        assertEquals(abandoned, leases.renewLeases(RenewLeasesRequest.newBuilder().addLeaseIds(abandoned).build())
                .getLostLeaseIds(0));
    }

    @Test
    void leasesAreOnlyForRunningSessionsOfTheCallersAccount() throws Exception {
        UUID account = UUID.randomUUID();
        UUID creating = session(account, "creating");
        var notRunning = assertThrows(StatusRuntimeException.class, () -> acquire(account, creating));
        assertEquals("session_not_running", notRunning.getTrailers().get(GrpcRefusals.CODE));
        UUID running = session(account, "running");
        var foreign = assertThrows(StatusRuntimeException.class, () -> acquire(UUID.randomUUID(), running));
        assertEquals("session_not_found", foreign.getTrailers().get(GrpcRefusals.CODE));
        var reserved = assertThrows(StatusRuntimeException.class, () -> acquire(account, session(account, "reserved")));
        assertEquals("session_not_found", reserved.getTrailers().get(GrpcRefusals.CODE));
    }
}
