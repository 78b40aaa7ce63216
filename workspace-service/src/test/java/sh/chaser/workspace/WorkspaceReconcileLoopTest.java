package sh.chaser.workspace;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sh.chaser.testkit.ServiceDatabase;
import sh.chaser.testkit.ServiceInfraResource;
import sh.chaser.testkit.TestTokens;
import sh.chaser.workspace.support.FakeDiskHost;

/**
 * workspace-service's reconcile loop against one host on loopback in this JVM ({@link FakeDiskHost}),
 * no root: a delete a crash left after its intent is finished (the disk deleted), a disk no workspace
 * names is removed once older than orphan-after while a young one stays, sizes are read from the host.
 */
@QuarkusTest
@TestProfile(WorkspaceReconcileLoopTest.FastLoop.class)
@QuarkusTestResource(value = ServiceInfraResource.class, initArgs = @ResourceArg(name = "database", value = "chaser_workspace"))
@QuarkusTestResource(value = FakeDiskHost.class, restrictToAnnotatedClass = true)
class WorkspaceReconcileLoopTest {

    public static class FastLoop implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("chaser.workspace.reconcile.interval", "200ms", "chaser.workspace.reconcile.stale-after",
                    "2s", "chaser.workspace.reconcile.usage-interval", "300ms",
                    "chaser.workspace.reconcile.orphan-after", "10m");
        }
    }

    private final UUID account = UUID.randomUUID();
    private final UUID user = UUID.randomUUID();

    @BeforeEach
    void hostKnown() throws Exception {
        FakeDiskHost.awaitReported();
    }

    @Test
    void aDeleteACrashLeftAfterItsIntentIsFinished() throws Exception {
        String id = create("interrupted");
        assertTrue(FakeDiskHost.DISKS.contains(id));
        try (var c = ServiceDatabase.connect();
                var s = c.prepareStatement("UPDATE workspaces SET operation = 'delete', deleted_at = now(), "
                        + "operation_started_at = now() - interval '1 hour' WHERE id = ?::uuid")) {
            s.setString(1, id);
            assertEquals(1, s.executeUpdate());
        }
        Awaitility.await("the loop deletes the disk").atMost(20, TimeUnit.SECONDS)
                .until(() -> !FakeDiskHost.DISKS.contains(id));
        Awaitility.await("the operation is finished").atMost(20, TimeUnit.SECONDS)
                .until(() -> ServiceDatabase.dump("workspaces").lines().noneMatch(
                        row -> row.contains(id) && row.contains(",delete,")));
    }

    @Test
    void anOrphanDiskIsRemovedOnceOldAndAYoungOneStays() {
        String old = UUID.randomUUID().toString();
        String young = UUID.randomUUID().toString();
        FakeDiskHost.CREATED.put(old, Instant.now().minusSeconds(3600));
        FakeDiskHost.CREATED.put(young, Instant.now());
        FakeDiskHost.DISKS.add(old);
        FakeDiskHost.DISKS.add(young);
        Awaitility.await("the old orphan is removed").atMost(20, TimeUnit.SECONDS)
                .until(() -> !FakeDiskHost.DISKS.contains(old));
        assertTrue(FakeDiskHost.DISKS.contains(young), "younger than orphan-after: maybe a create in flight");
    }

    @Test
    void aWorkspacesSizeIsReadFromItsHost() {
        String id = create("measured");
        Awaitility.await("size_bytes is the host's").atMost(20, TimeUnit.SECONDS)
                .until(() -> given().header("Authorization", "Bearer " + token()).get("/v1/workspaces/" + id)
                        .jsonPath().getLong("size_bytes") == 4096);
    }

    private String create(String name) {
        var created = given().header("Authorization", "Bearer " + token()).contentType("application/json")
                .body("{\"session_type\":\"sandbox\",\"name\":\"" + name + "\"}").post("/v1/workspaces");
        assertEquals(201, created.statusCode(), created.asString());
        return created.jsonPath().getString("id");
    }

    private String token() {
        return TestTokens.user(user, account, "owner", List.of(), null);
    }
}
