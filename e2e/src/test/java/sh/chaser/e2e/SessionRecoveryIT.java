package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import sh.chaser.proto.vmagent.v1.ListVmsRequest;
import sh.chaser.proto.vmagent.v1.Vm;
import sh.chaser.proto.vmagent.v1.VmState;

/** Never lose a session: session-service SIGKILLed mid-create, and a host that goes silent. */
@PlatformHost
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionRecoveryIT {

    private LocalPlatform platform;
    private Api api;
    private String key;
    private Sessions sessions;
    private AgentDisks agent;

    @BeforeAll
    void up() throws Exception {
        platform = SharedPlatform.get();
        api = new Api(platform.apiUrl());
        key = SharedPlatform.credentials().get("CHASER_API_KEY");
        sessions = new Sessions(api, key);
        agent = new AgentDisks(platform);
    }

    @AfterAll
    void close() {
        agent.close();
    }

    /** Whatever a test left running (also when it failed) does not fill the host for the next one. */
    @org.junit.jupiter.api.AfterEach
    void terminateAll() throws Exception {
        platform.signal("vm-agent", "CONT");
        api.call("POST", "/v1/sessions/bulk-terminate", key, null, "{\"all\":true,\"force\":true}");
    }

    private List<Vm> vms() {
        return agent.vms().list(ListVmsRequest.getDefaultInstance()).getVmsList();
    }

    private List<JsonNode> all() throws Exception {
        List<JsonNode> list = new ArrayList<>();
        var page = api.get("/v1/sessions?limit=500", key);
        if (page == null || page.status() != 200) {
            return null;
        }
        page.body().get("data").forEach(list::add);
        return list;
    }

    @Test
    void killingSessionServiceDuringTwentyCreatesHealsWithinAMinute() throws Exception {
        List<String> workspaces = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            workspaces.add(sessions.workspace("sandbox"));
        }
        int vmsBefore = vms().size();
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<Future<Api.Reply>> creates = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String body = i < 10
                    ? "{\"session_type\":\"sandbox\",\"ephemeral\":true}"
                    : "{\"session_type\":\"sandbox\",\"workspace\":\"" + workspaces.get(i - 10) + "\"}";
            creates.add(pool.submit(() -> sessions.create(body)));
        }
        // in the middle: some VMs are up, others not yet
        Await.until(() -> vms().size() >= vmsBefore + 3, 60, "the first boots reach the agent");
        platform.kill("session-service");
        for (Future<Api.Reply> f : creates) {
            Api.Reply r = f.get();
            assertTrue(r == null || r.status() == 201 || r.status() >= 500,
                    String.valueOf(r == null ? null : r.body()));
        }
        pool.shutdown();
        var restarted = platform.run("up");
        assertEquals(0, restarted.exit(), restarted.output());

        Await.until(() -> {
            List<JsonNode> listed = all();
            if (listed == null || listed.stream().anyMatch(s -> s.get("status").asText().equals("creating"))) {
                return false;
            }
            Set<String> live = new HashSet<>();
            listed.stream().filter(s -> s.get("status").asText().equals("running"))
                    .forEach(s -> live.add(s.get("id").asText()));
            // every VM the host runs belongs to a running session, and every running session has its VM
            Set<String> running = new HashSet<>();
            vms().stream().filter(vm -> vm.getState() != VmState.VM_STATE_STOPPED)
                    .forEach(vm -> running.add(vm.getSessionId()));
            if (!live.equals(running)) {
                return false;
            }
            // every workspace lock belongs to a running session or none (a create killed between
            // taking the lock and announcing its session gives the lock back)
            for (String ws : workspaces) {
                JsonNode holder = api.get("/v1/workspaces/" + ws, key).body().get("active_session_id");
                if (!holder.isNull() && !live.contains(holder.asText())) {
                    return false;
                }
            }
            return true;
        }, 60, "no session is left creating, no VM runs without a session, no workspace is held by a session that does not run");
        // a workspace left free (or held) works as usual: create answers its running session or boots one
        for (String ws : workspaces) {
            var r = sessions.create("{\"session_type\":\"sandbox\",\"workspace\":\"" + ws + "\"}");
            assertTrue(r.status() == 200 || r.status() == 201, r.body().toString());
            assertEquals("running", r.body().get("status").asText(), r.status() + " " + r.body());
        }
    }

    @Test
    void aSilentHostLosesItsSessionsAndReleasesItsWorkspaces() throws Exception {
        String ws = sessions.workspace("sandbox");
        String id = sessions.started("{\"session_type\":\"sandbox\",\"workspace\":\"" + ws + "\"}").get("id").asText();
        platform.signal("vm-agent", "STOP");
        try {
            Await.until(() -> sessions.get(id).get("status").asText().equals("terminated"), 60,
                    "the silent host's session ends");
            assertEquals("host_lost", sessions.get(id).get("termination_reason").asText());
            Await.until(() -> api.get("/v1/workspaces/" + ws, key).body().get("active_session_id").isNull(), 30,
                    "its workspace is released");
            var noHost = sessions.create("{\"session_type\":\"sandbox\",\"ephemeral\":true}");
            assertEquals(503, noHost.status());
            assertEquals("no_capacity", Sessions.code(noHost));
        } finally {
            platform.signal("vm-agent", "CONT");
        }
        // the host comes back still running the VM: nobody wants it, so it goes
        Await.until(() -> vms().stream().noneMatch(vm -> vm.getSessionId().equals(id)), 60,
                "the lost session's VM is destroyed once its host answers again");
        Await.until(
                () -> sessions.create("{\"session_type\":\"sandbox\",\"workspace\":\"" + ws + "\"}").status() == 201,
                60, "the host takes sessions again");
    }
}
