package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Parallel disk work on one workspace, and workspace-service killed (SIGKILL) in the middle of
 * creates: afterwards nothing is half done and every fact was published exactly once.
 */
@PlatformHost
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkspaceConcurrencyIT {

    private LocalPlatform platform;
    private Api api;
    private String key;
    private AgentDisks agent;
    private final ExecutorService pool = Executors.newFixedThreadPool(12);

    @BeforeAll
    void up() throws Exception {
        platform = SharedPlatform.get();
        api = new Api(platform.apiUrl());
        key = SharedPlatform.credentials().get("CHASER_API_KEY");
        agent = new AgentDisks(platform);
    }

    @AfterAll
    void close() {
        pool.shutdownNow();
        agent.close();
    }

    @Test
    void parallelClonesSnapshotsAndDeletesNeverLeaveAHalfState() throws Exception {
        String source = api.call("POST", "/v1/workspaces", key, null, "{\"session_type\":\"sandbox\"}").body().get("id")
                .asText();
        Files.writeString(platform.disk(source).resolve("data.txt"), "source data\n");
        Map<String, Future<Api.Reply>> work = new HashMap<>();
        for (int i = 0; i < 4; i++) {
            work.put("clone" + i, pool.submit(
                    () -> api.call("POST", "/v1/workspaces", key, null, "{\"clone_from\":\"" + source + "\"}")));
            String name = "s" + i;
            work.put("snapshot" + i,
                    pool.submit(() -> api.call("POST", "/v1/workspaces/" + source + "/snapshots", key, null,
                            "{\"name\":\"" + name + "\"}")));
        }
        for (int i = 0; i < 2; i++) {
            work.put("delete" + i, pool.submit(() -> api.call("DELETE", "/v1/workspaces/" + source, key, null, null)));
        }
        int deleted = 0;
        List<String> clones = new ArrayList<>();
        for (var entry : work.entrySet()) {
            Api.Reply r = entry.getValue().get();
            String code = r.body().path("error").path("code").asText();
            if (entry.getKey().startsWith("delete")) {
                assertTrue(r.status() == 204 || "workspace_not_found".equals(code), entry.getKey() + ": " + r.body());
                deleted += r.status() == 204 ? 1 : 0;
            } else if (entry.getKey().startsWith("clone")) {
                assertTrue(r.status() == 201 || "workspace_not_found".equals(code), entry.getKey() + ": " + r.body());
                if (r.status() == 201) {
                    clones.add(r.body().get("id").asText());
                }
            } else {
                assertTrue(r.status() == 201 || Set.of("workspace_not_found", "workspace_busy").contains(code),
                        entry.getKey() + ": " + r.body());
            }
        }
        assertEquals(1, deleted, "exactly one delete wins");
        for (String clone : clones) {
            var w = api.get("/v1/workspaces/" + clone, key).body();
            assertEquals("ready", w.get("status").asText());
            assertEquals("source data\n", Files.readString(platform.disk(clone).resolve("data.txt")));
        }
        Await.until(() -> agent.usedBytes(source) == -1, 90, "the deleted workspace's disk is removed");
        Await.until(() -> count("SELECT count(*) FROM workspaces WHERE operation IS NOT NULL") == 0
                && count("SELECT count(*) FROM workspace_snapshots WHERE state <> 'ready'") == 0, 90,
                "no unfinished work");
        assertEquals(1, events(source, "deleted"));
        assertEquals(1, events(source, "created"));
        for (String clone : clones) {
            assertEquals(1, events(clone, "created"), clone);
        }
    }

    @Test
    void killingWorkspaceServiceMidCreateLosesAndDoublesNothing() throws Exception {
        String prefix = "crash-" + UUID.randomUUID().toString().substring(0, 6) + "-";
        String mine = "name LIKE '" + prefix + "%'";
        List<Future<Api.Reply>> replies = new ArrayList<>();
        // a frozen vm-agent holds every create between its first transaction and its disk call
        platform.signal("vm-agent", "STOP");
        try {
            for (int i = 0; i < 8; i++) {
                String name = prefix + i;
                replies.add(pool.submit(() -> api.call("POST", "/v1/workspaces", key, null,
                        "{\"session_type\":\"sandbox\",\"name\":\"" + name + "\"}")));
            }
            Await.until(() -> count("SELECT count(*) FROM workspaces WHERE " + mine + " AND operation = 'create'") == 8,
                    60, "every create recorded its intent");
            platform.kill("workspace-service");
        } finally {
            platform.signal("vm-agent", "CONT");
        }
        for (Future<Api.Reply> f : replies) {
            Api.Reply r = f.get();
            assertTrue(r == null || r.status() >= 500, "no create could answer: " + (r == null ? "" : r.body()));
        }
        var up = platform.run("up");
        assertEquals(0, up.exit(), up.output());

        Await.until(() -> count("SELECT count(*) FROM workspaces WHERE " + mine + " AND operation IS NOT NULL") == 0,
                90, "interrupted creates are finished by the restarted service");
        List<String> survivors = new ArrayList<>();
        try (var c = platform.database("workspace");
                var s = c.createStatement();
                var rs = s.executeQuery("SELECT id FROM workspaces WHERE " + mine)) {
            while (rs.next()) {
                survivors.add(rs.getString(1));
            }
        }
        assertEquals(8, survivors.size());
        for (String id : survivors) {
            assertEquals("ready", api.get("/v1/workspaces/" + id, key).body().get("status").asText());
            assertTrue(agent.usedBytes(id) >= 0, "a listed workspace has its disk");
            assertEquals(1, events(id, "created"), "one created event for " + id);
        }
        Await.until(() -> count("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0, 60,
                "every event is relayed");
        for (String id : survivors) {
            Await.until(() -> auditEntries(id) == 1, 60, "the audit trail (fed from Kafka) holds one entry for " + id);
        }
    }

    @Test
    void aDiskNoWorkspaceNamesIsSweptAndTheOthersStay() throws Exception {
        String kept = api.call("POST", "/v1/workspaces", key, null, "{\"session_type\":\"sandbox\"}").body().get("id")
                .asText();
        String orphan = UUID.randomUUID().toString();
        // what an undone create whose disk call still went through leaves behind
        agent.disks().createDisk(sh.chaser.proto.vmagent.v1.CreateDiskRequest.newBuilder().setDiskId(orphan).build());
        Await.until(() -> agent.usedBytes(orphan) == -1, 60, "the orphan disk is removed");
        assertTrue(agent.usedBytes(kept) >= 0, "a workspace's disk stays");
    }

    private long auditEntries(String id) {
        try {
            return api.get("/v1/audit/events?action=workspace.create&resource_id=" + id, key).body().get("data").size();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private long events(String workspaceId, String change) throws Exception {
        return count(
                "SELECT count(*) FROM outbox WHERE topic = 'chaser.workspaces.v1' AND aggregate_id = '" + workspaceId
                        + "' AND payload->'data'->>'change' = '" + change + "'");
    }

    private long count(String sql) {
        try (var c = platform.database("workspace"); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

}
