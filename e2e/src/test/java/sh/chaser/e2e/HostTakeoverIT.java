package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import sh.chaser.contracts.InternalCallers;
import sh.chaser.proto.session.v1.HeartbeatRequest;
import sh.chaser.proto.session.v1.HostRegistryGrpc;
import sh.chaser.proto.session.v1.ListHostsRequest;
import sh.chaser.proto.session.v1.RegisterHostRequest;

/**
 * An insider on the host holding the agent's own certificate (without one nothing connects at all:
 * InternalPlaneIT) against the running platform's host registry: it cannot register the platform's
 * host id with its own address (which would draw every later boot and data-plane call there),
 * neither without the join token nor with it, cannot add a host under another id (the certificate
 * names its host), cannot forge the host's heartbeats nor list the hosts without the token; the
 * real host keeps serving sessions (the positive control).
 */
@PlatformHost
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostTakeoverIT {

    private LocalPlatform platform;
    private ManagedChannel channel;
    private HostRegistryGrpc.HostRegistryBlockingStub registry;

    @BeforeAll
    void up() throws Exception {
        platform = SharedPlatform.get();
        // an insider on the host holding the agent's own certificate (a plain caller cannot even connect)
        channel = platform.channel(platform.sessionPort(), InternalCallers.AGENT + "/" + platform.hostId());
        registry = HostRegistryGrpc.newBlockingStub(channel);
    }

    @AfterAll
    void down() {
        channel.shutdownNow();
    }

    @Test
    void aRogueRegistrationOfThePlatformsHostIsRefusedAndSessionsStillRunThere() throws Exception {
        var rogue = RegisterHostRequest.newBuilder().setHostId(platform.hostId()).setGrpcAddress("127.0.0.1:1")
                .addRuntimes("namespace").build();
        var noToken = assertThrows(StatusRuntimeException.class,
                () -> registry.withDeadlineAfter(10, TimeUnit.SECONDS).registerHost(rogue));
        assertEquals(Status.Code.UNAUTHENTICATED, noToken.getStatus().getCode());

        // even an insider holding the join token cannot take an id that another host registered
        String token = Files.readString(platform.hostJoinToken()).trim();
        var withToken = assertThrows(StatusRuntimeException.class, () -> registry
                .withDeadlineAfter(10, TimeUnit.SECONDS).registerHost(rogue.toBuilder().setJoinToken(token).build()));
        assertEquals(Status.Code.PERMISSION_DENIED, withToken.getStatus().getCode());
        // nor can it add a host of its own: the agent's certificate names its host id
        var otherId = assertThrows(StatusRuntimeException.class, () -> registry.withDeadlineAfter(10, TimeUnit.SECONDS)
                .registerHost(rogue.toBuilder().setHostId("rogue-" + platform.hostId()).setJoinToken(token).build()));
        assertEquals(Status.Code.PERMISSION_DENIED, otherId.getStatus().getCode());
        assertTrue(otherId.getStatus().getDescription().contains("certificate"), otherId.getStatus().toString());
        var heartbeat = assertThrows(StatusRuntimeException.class, () -> registry
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .heartbeat(HeartbeatRequest.newBuilder().setHostId(platform.hostId())
                        .build()));
        assertEquals(Status.Code.PERMISSION_DENIED, heartbeat.getStatus().getCode());
        var list = assertThrows(StatusRuntimeException.class, () -> registry.withDeadlineAfter(10, TimeUnit.SECONDS)
                .listHosts(ListHostsRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNAUTHENTICATED, list.getStatus().getCode(), "nor learns the hosts' addresses");
        assertEquals(platform.hostId(), registry.withDeadlineAfter(10, TimeUnit.SECONDS)
                .listHosts(ListHostsRequest.newBuilder().setJoinToken(token).build()).getHosts(0).getHostId());

        // positive control: the real host still gets the platform's sessions, and they run
        var api = new Api(platform.apiUrl());
        var sessions = new Sessions(api, SharedPlatform.credentials().get("CHASER_API_KEY"));
        String id = sessions.ephemeralSandbox().get("id").asText();
        try {
            assertEquals(200, sessions.exec(id, "true").status());
        } finally {
            sessions.terminate(id, true);
        }
    }
}
