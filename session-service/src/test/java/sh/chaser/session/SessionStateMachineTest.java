package sh.chaser.session;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sh.chaser.proto.session.v1.HostCapacity;
import sh.chaser.proto.session.v1.HostRegistryGrpc;
import sh.chaser.proto.session.v1.RegisterHostRequest;
import sh.chaser.proto.vmagent.v1.Vm;
import sh.chaser.proto.vmagent.v1.VmState;
import sh.chaser.session.support.FakeVmAgent;
import sh.chaser.session.support.FakeWorkspaceLock;
import sh.chaser.testkit.ServiceEndpoints;
import sh.chaser.testkit.ServiceInfraResource;
import sh.chaser.testkit.TestTokens;

/**
 * The session state machine through session-service's own API, against a vm-agent API on loopback
 * in this JVM ({@link FakeVmAgent}): no root, no sandbox. Creating → running when the agent
 * answers; terminated (boot_failed) with the agent's code when it refuses; a boot whose answer was
 * lost stays creating until the reconcile loop finds the VM running; a terminate destroys the VM.
 * Workspace sessions against workspace-service's lock on loopback ({@link FakeWorkspaceLock}): the
 * workspace is given back only once the VM is gone (the reconcile loop finishes a teardown whose
 * destroy failed); a VM gone from its host ends its session with the reason the workspace's owner
 * recorded for an eviction, else vm_exited; a VM without a live session is destroyed.
 */
@QuarkusTest
@TestProfile(SessionStateMachineTest.FastReconcile.class)
@QuarkusTestResource(value = ServiceInfraResource.class, initArgs = @ResourceArg(name = "database", value = "chaser_session"))
@QuarkusTestResource(value = FakeWorkspaceLock.class, restrictToAnnotatedClass = true)
class SessionStateMachineTest {

    public static class FastReconcile implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("chaser.session.reconcile.interval", "300ms");
        }
    }

    private static FakeVmAgent agent;
    private static String fakeAgentCredential = "";

    @TestHTTPResource("/")
    URL base;

    private final UUID account = UUID.randomUUID();
    private final UUID user = UUID.randomUUID();

    @BeforeAll
    static void startAgent() throws Exception {
        agent = new FakeVmAgent();
    }

    @AfterAll
    static void stopAgent() {
        agent.close();
    }

    @BeforeEach
    void registerTheAgent() {
        ManagedChannel channel = ServiceEndpoints.grpcChannel(base);
        try {
            var registered = HostRegistryGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .registerHost(
                            RegisterHostRequest.newBuilder().setHostId(FakeWorkspaceLock.HOST_ID)
                                    .setGrpcAddress(agent.address())
                                    .setJoinToken(HostRegistryTest.JOIN_TOKEN).setHostCredential(fakeAgentCredential)
                                    .addRuntimes("namespace").setCapacity(HostCapacity.newBuilder().setCpus(4)
                                            .setMemoryBytes(8L << 30).setDiskFreeBytes(50L << 30).setSandboxesMax(16))
                                    .build());
            if (!registered.getHostCredential().isEmpty()) {
                fakeAgentCredential = registered.getHostCredential(); // issued on the id's first registration
            }
        } finally {
            channel.shutdownNow();
        }
        agent.next = FakeVmAgent.Boot.RUN;
        agent.unreachableForDestroy = false;
    }

    @Test
    void aWorkspaceIsGivenBackOnlyOnceItsVmIsGone() {
        String workspace = "ws-" + UUID.randomUUID();
        var created = create("{\"session_type\":\"sandbox\",\"workspace\":\"" + workspace + "\"}");
        assertEquals(201, created.statusCode(), created.asString());
        String id = created.jsonPath().getString("id");
        assertEquals(id, FakeWorkspaceLock.HOLDERS.get(FakeWorkspaceLock.idOf(workspace)));

        agent.unreachableForDestroy = true;
        var terminated = given().header("Authorization", "Bearer " + token()).delete("/v1/sessions/" + id);
        assertEquals(200, terminated.statusCode(), terminated.asString());
        assertEquals("terminated", terminated.jsonPath().getString("status"));
        assertEquals(id, FakeWorkspaceLock.HOLDERS.get(FakeWorkspaceLock.idOf(workspace)),
                "its VM could not be destroyed: the workspace stays held");
        var busy = create("{\"session_type\":\"sandbox\",\"workspace\":\"" + workspace + "\"}");
        assertEquals(409, busy.statusCode(), "no second session while the first one's VM may run: " + busy.asString());

        agent.unreachableForDestroy = false;
        Awaitility.await("the reconcile loop destroys the VM, then gives the workspace back").atMost(20,
                TimeUnit.SECONDS)
                .until(() -> !FakeWorkspaceLock.HOLDERS.containsKey(FakeWorkspaceLock.idOf(workspace)));
        var steps = FakeWorkspaceLock.STEPS;
        assertTrue(
                steps.indexOf("destroy " + id) >= 0 && steps.indexOf("destroy " + id) < steps.indexOf("release " + id),
                steps.toString());
        var next = create("{\"session_type\":\"sandbox\",\"workspace\":\"" + workspace + "\"}");
        assertEquals(201, next.statusCode(), next.asString());
    }

    @Test
    void aVmGoneFromItsHostEndsItsSessionWithTheReasonTheWorkspacesOwnerRecorded() {
        String workspace = "ws-" + UUID.randomUUID();
        String evicted = create("{\"session_type\":\"sandbox\",\"workspace\":\"" + workspace + "\"}")
                .jsonPath().getString("id");
        String vanished = create("{\"session_type\":\"sandbox\",\"ephemeral\":true}").jsonPath().getString("id");
        FakeWorkspaceLock.evict(evicted, "snapshot_restore");
        agent.vms.remove(evicted); // what the forced operation's destroy did on the host
        agent.vms.remove(vanished); // someone else destroyed it: nobody recorded why
        Awaitility.await("both sessions end").atMost(20, TimeUnit.SECONDS)
                .until(() -> "terminated".equals(session(evicted).getString("status"))
                        && "terminated".equals(session(vanished).getString("status")));
        assertEquals("snapshot_restore", session(evicted).getString("termination_reason"));
        assertEquals("vm_exited", session(vanished).getString("termination_reason"));
        assertTrue(!FakeWorkspaceLock.HOLDERS.containsKey(FakeWorkspaceLock.idOf(workspace)));
    }

    @Test
    void aVmWithoutALiveSessionIsDestroyedByTheReconcileLoop() {
        String stray = UUID.randomUUID().toString();
        agent.vms.put(stray, Vm.newBuilder().setSessionId(stray).setState(VmState.VM_STATE_RUNNING)
                .setRuntime("namespace").build());
        Awaitility.await("the stray VM is destroyed").atMost(20, TimeUnit.SECONDS)
                .until(() -> agent.destroyed.contains(stray));
    }

    @Test
    void aBootTheAgentAnswersRunsAndATerminateDestroysItsVm() {
        var created = create("{\"session_type\":\"sandbox\",\"ephemeral\":true}");
        assertEquals(201, created.statusCode(), created.asString());
        String id = created.jsonPath().getString("id");
        assertEquals("running", created.jsonPath().getString("status"));
        assertTrue(agent.vms.containsKey(id));

        var terminated = given().header("Authorization", "Bearer " + token()).delete("/v1/sessions/" + id);
        assertEquals(200, terminated.statusCode(), terminated.asString());
        assertEquals("terminated", terminated.jsonPath().getString("status"));
        assertEquals("user", terminated.jsonPath().getString("termination_reason"));
        Awaitility.await("the VM is destroyed").atMost(10, TimeUnit.SECONDS).until(() -> agent.destroyed.contains(id));
    }

    @Test
    void anAgentsRefusalEndsTheCreateWithItsCodeAndTheSessionStaysListed() {
        agent.next = FakeVmAgent.Boot.REFUSE_IMAGE_PULL;
        var created = create("{\"session_type\":\"sandbox\",\"ephemeral\":true,\"image\":\"127.0.0.1:1/nothing:1\"}");
        assertEquals(502, created.statusCode(), created.asString());
        assertEquals("image_pull_failed", created.jsonPath().getString("error.code"));
        List<Map<String, Object>> sessions = sessions("terminated").getList("data");
        assertTrue(sessions.stream().anyMatch(s -> "127.0.0.1:1/nothing:1".equals(s.get("image"))
                && "boot_failed".equals(s.get("termination_reason"))), sessions.toString());
    }

    @Test
    void aBootWhoseAnswerWasLostIsSettledByTheReconcileLoop() {
        agent.next = FakeVmAgent.Boot.ANSWER_LOST;
        var created = create("{\"session_type\":\"sandbox\",\"ephemeral\":true}");
        assertTrue(created.statusCode() == 201 || created.statusCode() == 202, created.asString());
        String id = created.jsonPath().getString("id");
        assertEquals("creating", created.jsonPath().getString("status"), "an unknown outcome is not a failure");
        Awaitility.await("the reconcile loop finds the VM running").atMost(20, TimeUnit.SECONDS)
                .until(() -> "running".equals(session(id).getString("status")));
    }

    private io.restassured.response.Response create(String body) {
        return given().header("Authorization", "Bearer " + token()).contentType("application/json").body(body)
                .post("/v1/sessions");
    }

    private JsonPath session(String id) {
        return given().header("Authorization", "Bearer " + token()).get("/v1/sessions/" + id).jsonPath();
    }

    private JsonPath sessions(String status) {
        return given().header("Authorization", "Bearer " + token()).get("/v1/sessions?status=" + status).jsonPath();
    }

    private String token() {
        return TestTokens.user(user, account, "owner", List.of(), null);
    }
}
