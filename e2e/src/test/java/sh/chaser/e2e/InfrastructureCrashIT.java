package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The infrastructure under the services fails in the middle of 20 creates: the Kafka broker is
 * SIGKILLed and PostgreSQL restarted. Afterwards every session the API answered is running or ended
 * with a reason, none stays creating, and every session's create is audited exactly once (the
 * outbox sent it again until Kafka took it, the consumer wrote it once).
 */
@PlatformHost
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InfrastructureCrashIT {

    private LocalPlatform platform;
    private Api api;
    private String key;
    private Sessions sessions;

    @BeforeAll
    void up() throws Exception {
        platform = SharedPlatform.get();
        api = new Api(platform.apiUrl());
        // an account of its own: its 20 creates meet the concurrent_sessions limit of 20, which sessions
        // other tests left running in the administrator's account would take first
        key = Accounts.organizationKey(api, SharedPlatform.credentials());
        sessions = new Sessions(api, key);
    }

    @AfterEach
    void terminateAll() throws Exception {
        Await.until(() -> api.call("POST", "/v1/sessions/bulk-terminate", key, null,
                "{\"all\":true,\"force\":true}").status() == 200, 120, "the platform answers again");
    }

    @Test
    void kafkaKilledAndPostgresRestartedDuringTwentyCreatesLoseAndDoubleNothing() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<Future<Api.Reply>> creates = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            creates.add(pool.submit(() -> sessions.create("{\"session_type\":\"sandbox\",\"ephemeral\":true}")));
        }
        platform.kill("kafka");
        restartPostgres();
        List<String> created = new ArrayList<>();
        for (Future<Api.Reply> f : creates) {
            Api.Reply r = f.get(180, TimeUnit.SECONDS);
            assertTrue(r.status() == 201 || r.status() >= 500, r.status() + " " + r.body());
            if (r.status() == 201) {
                created.add(r.body().get("id").asText());
            } else {
                assertTrue(!Sessions.code(r).isEmpty(), "a failure says what failed: " + r.body());
            }
        }
        pool.shutdown();
        System.out.printf("InfrastructureCrashIT: %d of 20 creates answered 201 through the crash%n", created.size());
        var restarted = platform.run("up");
        assertEquals(0, restarted.exit(), restarted.output());

        Await.until(() -> {
            var page = api.get("/v1/sessions?limit=500", key);
            if (page == null || page.status() != 200) {
                return false;
            }
            for (JsonNode s : page.body().get("data")) {
                if (s.get("status").asText().equals("creating")) {
                    return false;
                }
            }
            return true;
        }, 90, "no session is left creating");
        for (String id : created) {
            JsonNode s = sessions.get(id);
            String status = s.get("status").asText();
            assertTrue(status.equals("running") || s.hasNonNull("termination_reason"), s.toString());
        }
        // every create is audited once: the outbox resends until Kafka has it, the consumer dedupes
        Map<String, Integer> audited = new HashMap<>();
        Await.until(() -> {
            audited.clear();
            for (String id : created) {
                var events = api.get("/v1/audit/events?action=session.create&resource_id=" + id, key);
                if (events == null || events.status() != 200) {
                    return false;
                }
                audited.put(id, events.body().get("data").size());
            }
            return audited.values().stream().allMatch(n -> n >= 1);
        }, 120, "every create reaches the audit log");
        audited.forEach((id, n) -> assertEquals(1, n, "session " + id + " audited " + n + " times"));
        // a create answered 5xx in the crash may still have made its session (the client cannot know):
        // the account may hold all 20 it may run, so they end before the platform's health is shown
        var ended = api.call("POST", "/v1/sessions/bulk-terminate", key, null, "{\"all\":true,\"force\":true}");
        assertEquals(200, ended.status(), ended.body().toString());
        var after = sessions.create("{\"session_type\":\"sandbox\",\"ephemeral\":true}");
        assertEquals(201, after.status(), after.body().toString());
    }

    /** The embedded PostgreSQL is a platform process; the machine's is restarted by its cluster tool. */
    private void restartPostgres() throws Exception {
        if (Files.exists(platform.home.resolve("run/postgres.pid"))) {
            platform.kill("postgres");
            return;
        }
        String cluster = new String(new ProcessBuilder("sh", "-c", "pg_lsclusters -h | awk '$3 == 5432 {print $1}'")
                .start().getInputStream().readAllBytes()).strip();
        assertTrue(!cluster.isEmpty(), "the machine's PostgreSQL on 5432");
        Process restart = new ProcessBuilder("pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main", "restart",
                "-m", "fast").inheritIO().start();
        assertTrue(restart.waitFor(120, TimeUnit.SECONDS), "PostgreSQL restarts within two minutes");
        assertEquals(0, restart.exitValue());
    }
}
