package sh.chaser.workspace;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sh.chaser.proto.workspace.v1.AcquireWorkspaceRequest;
import sh.chaser.proto.workspace.v1.ReleaseWorkspaceRequest;
import sh.chaser.proto.workspace.v1.WorkspaceLockGrpc;
import sh.chaser.testkit.ServiceDatabase;
import sh.chaser.testkit.ServiceEndpoints;
import sh.chaser.testkit.ServiceInfraResource;
import sh.chaser.testkit.TestTokens;
import sh.chaser.workspace.support.FakeDiskHost;

/**
 * The workspace state machine through workspace-service's own API against one host on loopback in
 * this JVM ({@link FakeDiskHost}): no root, no disks. A fresh workspace is ready once its disk
 * exists; an import is importing, then ready, or failed with the agent's code (a git server that
 * cannot be reached fails within seconds, not after the reconcile loop's retries); a deleted
 * workspace's disk is deleted; a forced delete evicts the session holding the workspace (its VM
 * destroyed, the reason kept for session-service, session_evicted published).
 */
@QuarkusTest
@QuarkusTestResource(value = ServiceInfraResource.class, initArgs = @ResourceArg(name = "database", value = "chaser_workspace"))
@QuarkusTestResource(value = FakeDiskHost.class, restrictToAnnotatedClass = true)
class WorkspaceStateMachineTest {

    @TestHTTPResource("/")
    URL base;

    private final UUID account = UUID.randomUUID();
    private final UUID user = UUID.randomUUID();

    @BeforeEach
    void hostKnown() throws Exception {
        FakeDiskHost.awaitReported();
    }

    @Test
    void aFreshWorkspaceIsReadyOnceItsDiskExistsAndItsDeleteDeletesTheDisk() throws Exception {
        var created = given().header("Authorization", "Bearer " + token()).contentType("application/json")
                .body("{\"session_type\":\"sandbox\",\"name\":\"fresh\"}").post("/v1/workspaces");
        assertEquals(201, created.statusCode(), created.asString());
        String id = created.jsonPath().getString("id");
        assertEquals("ready", created.jsonPath().getString("status"));
        assertTrue(FakeDiskHost.DISKS.contains(id));

        var deleted = given().header("Authorization", "Bearer " + token()).delete("/v1/workspaces/" + id);
        assertEquals(204, deleted.statusCode(), deleted.asString());
        until(() -> !FakeDiskHost.DISKS.contains(id), "the disk is deleted");
        assertEquals(404,
                given().header("Authorization", "Bearer " + token()).get("/v1/workspaces/" + id).statusCode());
    }

    @Test
    void anImportEndsReadyOrFailedWithTheAgentsCode() throws Exception {
        String good = startImport("owner/repo");
        String unreachable = startImport("owner/unreachable");
        JsonPath failed = until(unreachable, w -> !"importing".equals(w.getString("status")));
        assertEquals("failed", failed.getString("status"), failed.prettify());
        assertEquals("git_unreachable", failed.getString("failure_code"), failed.prettify());
        JsonPath ready = until(good, w -> !"importing".equals(w.getString("status")));
        assertEquals("ready", ready.getString("status"), ready.prettify());
        assertEquals(null, ready.getString("failure_code"));
    }

    @Test
    void aForcedDeleteEvictsTheHoldingSessionAndTellsWhyToWhoeverAsks() throws Exception {
        var created = given().header("Authorization", "Bearer " + token()).contentType("application/json")
                .body("{\"session_type\":\"sandbox\",\"name\":\"held\"}").post("/v1/workspaces");
        assertEquals(201, created.statusCode(), created.asString());
        String id = created.jsonPath().getString("id");
        String session = UUID.randomUUID().toString();
        var channel = ServiceEndpoints.grpcChannel(base);
        try {
            var lock = WorkspaceLockGrpc.newBlockingStub(channel);
            assertTrue(lock.acquireWorkspace(AcquireWorkspaceRequest.newBuilder().setAccountId(account.toString())
                    .setSelector("held").setSessionType("sandbox").setSessionId(session).build()).getAcquired());

            var refused = given().header("Authorization", "Bearer " + token()).delete("/v1/workspaces/" + id);
            assertEquals(409, refused.statusCode(), refused.asString());
            assertEquals("workspace_in_use", refused.jsonPath().getString("error.code"));
            assertFalse(FakeDiskHost.DESTROYED.contains(session), "a refused delete touches no VM");

            var forced = given().header("Authorization", "Bearer " + token()).delete("/v1/workspaces/" + id
                    + "?force=true");
            assertEquals(204, forced.statusCode(), forced.asString());
            assertTrue(FakeDiskHost.DESTROYED.contains(session), "the holding session's VM is destroyed");
            var release = lock.releaseWorkspace(ReleaseWorkspaceRequest.newBuilder().setAccountId(account.toString())
                    .setWorkspaceId(id).setSessionId(session).build());
            assertFalse(release.getReleased(), "the eviction gave the workspace back itself");
            assertEquals("workspace_deleted", release.getEvictedReason());
            assertTrue(ServiceDatabase.dump("outbox").contains(session), "session_evicted is published");
        } finally {
            channel.shutdownNow();
        }
    }

    private String startImport(String repo) {
        var started = given().header("Authorization", "Bearer " + token()).contentType("application/json")
                .body("{\"github_repo\":\"" + repo + "\"}").post("/v1/workspaces/import");
        assertEquals(202, started.statusCode(), started.asString());
        assertEquals("importing", started.jsonPath().getString("status"));
        return started.jsonPath().getString("id");
    }

    /** The workspace once {@code done} holds, polled for at most 15 s. */
    private JsonPath until(String id, Predicate<JsonPath> done) throws Exception {
        JsonPath[] last = { null };
        until(() -> done.test(last[0] = given().header("Authorization", "Bearer " + token()).get("/v1/workspaces/" + id)
                .jsonPath()), "workspace " + id + " settles");
        return last[0];
    }

    private static void until(BooleanSupplier condition, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within 15 s");
            }
            Thread.sleep(100);
        }
    }

    private String token() {
        return TestTokens.user(user, account, "owner", List.of(), null);
    }
}
