package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Pause and resume through the gateway (issue 30) on the microVM platform ({@link QemuPlatform}:
 * {@code ./chaser up --runtime qemu}, TCG here: one VM at a time): a session's memory, its
 * background command's output stream and its files carry on where they stopped, ten times over; a
 * namespace session cannot be paused.
 */
@PlatformHost
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MicroVmPauseIT {

    private LocalPlatform platform;
    private Api api;
    private String key;
    private Sessions sessions;
    private Map<String, String> printed;

    @BeforeAll
    void up() throws Exception {
        platform = QemuPlatform.get();
        printed = QemuPlatform.credentials();
        api = new Api(printed.get("CHASER_API_URL"));
        key = printed.get("CHASER_API_KEY");
        sessions = new Sessions(api, key);
    }

    private JsonNode running(String body) throws Exception {
        var created = sessions.create(body);
        assertTrue(created.status() == 201 || created.status() == 202, created.body().toString());
        String id = created.body().get("id").asText();
        return Await.until(() -> sessions.get(id), s -> s.get("status").asText().equals("running"), 180,
                "the session " + id + " runs");
    }

    /**
     * Issue 30: a counter in memory, a background command streaming its output and a file being
     * appended; the session paused and resumed ten times through the gateway. Nothing of the VM runs
     * while it is paused; afterwards the stream, read by offset across the pauses, and the file are
     * both exactly 1..n: nothing lost, nothing twice.
     */
    @Test
    void aSessionPausedAndResumedTenTimesCarriesOnWhereItStopped() throws Exception {
        String ws = sessions.workspace("sandbox");
        String id = running("{\"session_type\":\"sandbox\",\"workspace\":\"" + ws + "\"}").get("id").asText();
        try {
            var started = sessions.execBackground(id,
                    "i=0; while :; do i=$((i+1)); echo $i; echo $i >> /workspace/counted; sleep 0.05; done");
            assertEquals(200, started.status(), started.body().toString());
            String cid = started.body().get("command_id").asText();
            String url = api.baseUrl() + "/v1/sessions/" + id + "/commands/" + cid + "/stream";
            var client = new OutputStreamClient();
            var received = new java.io.ByteArrayOutputStream();
            String last = null;
            for (int round = 0; round < 10; round++) {
                var read = client.read(url, key, last, 100);
                if (read.bytes().length > 0) {
                    assertEquals(received.size(), read.firstOffset(), "a resumed stream starts where the last ended");
                    last = Long.toString(read.lastId());
                }
                received.writeBytes(read.bytes());
                Await.until(() -> sessions.get(id).get("active_connection_leases").asInt() == 0, 30,
                        "the hung-up stream's lease is released");
                long qemu = platform.sandboxInit(id);
                var paused = api.call("POST", "/v1/sessions/" + id + "/pause", key, null, null);
                assertEquals(200, paused.status(), paused.body().toString());
                assertEquals("paused", paused.body().get("status").asText());
                assertEquals("paused", sessions.get(id).get("status").asText());
                // nothing of a paused VM runs (its QEMU ended; reaped by its parent a moment later)
                Await.until(() -> ProcessHandle.of(qemu).map(ProcessHandle::isAlive).orElse(false), alive -> !alive,
                        30, "QEMU " + qemu + " of the paused session ends");
                var refused = sessions.exec(id, "true");
                assertEquals(409, refused.status(), refused.body().toString());
                assertEquals("session_not_running", Sessions.code(refused));
                var resumed = api.call("POST", "/v1/sessions/" + id + "/resume", key, null, null);
                assertEquals(200, resumed.status(), resumed.body().toString());
                assertEquals("running", resumed.body().get("status").asText());
                assertEquals(id, resumed.body().get("id").asText());
            }
            var kill = api.call("POST", "/v1/sessions/" + id + "/commands/" + cid + "/kill", key, null,
                    "{\"signal\":\"KILL\"}");
            assertEquals(202, kill.status(), kill.body().toString());
            var rest = client.read(url, key, last, Long.MAX_VALUE);
            assertEquals(received.size(), rest.firstOffset());
            received.writeBytes(rest.bytes());
            assertEquals(128 + 9, rest.exitCode());
            String printed = received.toString(java.nio.charset.StandardCharsets.UTF_8);
            String counted = sessions.exec(id, "cat /workspace/counted").body().get("output").asText();
            assertConsecutive(printed);
            assertConsecutive(counted);
            assertTrue(counted.split("\n").length >= printed.split("\n").length - 1, "the file has what was printed");
            for (String action : new String[]{ "session.pause", "session.resume" }) {
                var audit = api.get("/v1/audit/events?action=" + action + "&resource_id=" + id, key);
                assertEquals(200, audit.status(), audit.body().toString());
                assertEquals(10, audit.body().get("data").size(), action + ": " + audit.body());
            }
        } finally {
            sessions.terminate(id, true);
            assertEquals(204, api.call("DELETE", "/v1/workspaces/" + ws + "?force=true", key, null, null).status());
        }
    }

    private static void assertConsecutive(String lines) {
        String[] numbers = lines.strip().split("\n");
        assertTrue(numbers.length > 10, "some counting: " + numbers.length);
        for (int i = 0; i < numbers.length; i++) {
            assertEquals(Integer.toString(i + 1), numbers[i], "line " + (i + 1) + " of " + numbers.length);
        }
    }

    /**
     * A paused session holds no place among the account's concurrent sessions (limit 1 here): a
     * second session runs while the first is paused, and the first cannot resume until it ends.
     */
    @Test
    void aPausedSessionDoesNotCountTowardsConcurrentSessions() throws Exception {
        var org = Accounts.organization(api, printed);
        var set = api.call("PATCH", "/v1/admin/accounts/" + org.id() + "/limits", key, null,
                "{\"concurrent_sessions\":1}");
        assertEquals(200, set.status(), set.body().toString());
        String orgKey = org.key();
        Sessions limited = new Sessions(api, orgKey);
        String first = Await.until(() -> limited.create("{\"session_type\":\"sandbox\",\"ephemeral\":true}"),
                r -> r.status() == 201 || r.status() == 202, 60, "the first session").body().get("id").asText();
        Await.until(() -> limited.get(first), s -> s.get("status").asText().equals("running"), 180, "it runs");
        var second = limited.create("{\"session_type\":\"sandbox\",\"ephemeral\":true}");
        assertEquals(403, second.status(), "positive control: the limit holds: " + second.body());
        assertEquals("limit_exceeded", Sessions.code(second));
        assertEquals(200, api.call("POST", "/v1/sessions/" + first + "/pause", orgKey, null, null).status());
        var whilePaused = limited.create("{\"session_type\":\"sandbox\",\"ephemeral\":true}");
        assertTrue(whilePaused.status() == 201 || whilePaused.status() == 202, whilePaused.body().toString());
        String other = whilePaused.body().get("id").asText();
        Await.until(() -> limited.get(other), s -> s.get("status").asText().equals("running"), 180, "it runs");
        var full = api.call("POST", "/v1/sessions/" + first + "/resume", orgKey, null, null);
        assertEquals(403, full.status(), full.body().toString());
        assertEquals("limit_exceeded", Sessions.code(full));
        assertEquals("paused", limited.get(first).get("status").asText(), "a refused resume leaves it paused");
        assertEquals(200, limited.terminate(other, true).status());
        var resumed = api.call("POST", "/v1/sessions/" + first + "/resume", orgKey, null, null);
        assertEquals(200, resumed.status(), resumed.body().toString());
        assertEquals("ok\n", limited.exec(first, "echo ok").body().get("output").asText());
        assertEquals(200, limited.terminate(first, true).status());
    }

    /** The vm-agent SIGKILLed and started again while a session is paused: it resumes where it was. */
    @Test
    void aPausedSessionResumesAfterItsVmAgentRestarted() throws Exception {
        String id = running("{\"session_type\":\"sandbox\",\"ephemeral\":true}").get("id").asText();
        try {
            assertEquals("ok\n", sessions.exec(id, "echo before > /tmp/mark && echo ok").body().get("output").asText());
            assertEquals(200, api.call("POST", "/v1/sessions/" + id + "/pause", key, null, null).status());
            platform.kill("vm-agent");
            LocalPlatform.Result up = platform.run("up", "--runtime", "qemu");
            assertEquals(0, up.exit(), up.output());
            assertEquals("paused", sessions.get(id).get("status").asText(), "still paused after the restart");
            var resumed = Await.until(() -> api.call("POST", "/v1/sessions/" + id + "/resume", key, null, null),
                    r -> r.status() == 200, 120, "the restarted agent resumes the session");
            assertEquals("running", resumed.body().get("status").asText());
            assertEquals("before\n", sessions.exec(id, "cat /tmp/mark").body().get("output").asText(),
                    "the same memory: /tmp is the guest's RAM");
        } finally {
            sessions.terminate(id, true);
        }
    }

    /**
     * An account whose idle timeout pauses (idle_action pause): its idle microVM session is paused by
     * the platform, not ended, and resumes with its memory; a resume is a use (the clock starts again);
     * a namespace session of the same account, which cannot be paused, ends idle_timeout as before.
     */
    @Test
    void anIdleSessionOfAnAccountThatPausesIdleSessionsIsPausedNotEnded() throws Exception {
        var org = Accounts.organization(api, printed);
        String limits = "/v1/admin/accounts/" + org.id() + "/limits";
        var refused = api.call("PATCH", limits, key, null, "{\"idle_action\":\"sleep\"}");
        assertEquals(400, refused.status(), refused.body().toString());
        assertEquals("idle_action", refused.body().get("error").get("field").asText());
        var set = api.call("PATCH", limits, key, null, "{\"idle_timeout_seconds\":12,\"idle_action\":\"pause\"}");
        assertEquals(200, set.status(), set.body().toString());
        assertEquals("pause", set.body().get("limits").get("idle_action").asText());
        String orgKey = org.key();
        Sessions idle = new Sessions(api, orgKey);
        String vm = Await.until(() -> idle.create("{\"session_type\":\"sandbox\",\"ephemeral\":true}"),
                r -> r.status() == 201 || r.status() == 202, 60, "a microVM session").body().get("id").asText();
        String ns = idle.create("{\"session_type\":\"sandbox\",\"ephemeral\":true,\"runtime\":\"namespace\"}")
                .body().get("id").asText();
        try {
            Await.until(() -> idle.get(vm), s -> s.get("status").asText().equals("running"), 180, "it runs");
            assertEquals("ok\n", idle.exec(vm, "echo kept > /tmp/mark && echo ok").body().get("output").asText());
            JsonNode paused = Await.until(() -> idle.get(vm), s -> !s.get("status").asText().equals("running"), 120,
                    "the idle microVM session leaves running");
            assertEquals("paused", paused.get("status").asText(), "paused, not ended: " + paused);
            JsonNode audit = Await.until(() -> api.get("/v1/audit/events?action=session.pause&resource_id=" + vm,
                    orgKey).body().get("data"), d -> d.size() > 0, 60, "the platform's pause is audited");
            assertEquals(1, audit.size(), audit.toString());
            assertEquals("system", audit.get(0).get("actor_type").asText(), "by the platform: " + audit);
            JsonNode ended = Await.until(() -> idle.get(ns), s -> s.get("status").asText().equals("terminated"), 120,
                    "control: the namespace session, which cannot be paused, ends");
            assertEquals("idle_timeout", ended.get("termination_reason").asText(), ended.toString());

            long resumedAt = System.nanoTime();
            var resumed = api.call("POST", "/v1/sessions/" + vm + "/resume", orgKey, null, null);
            assertEquals(200, resumed.status(), resumed.body().toString());
            Await.until(() -> idle.get(vm), s -> s.get("status").asText().equals("paused"), 120,
                    "unused again (nothing but the resume), it is paused again");
            long seconds = java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - resumedAt);
            assertTrue(seconds >= 12, "the resume restarted its idle clock: paused again after " + seconds + " s");
            assertEquals(200, api.call("POST", "/v1/sessions/" + vm + "/resume", orgKey, null, null).status());
            assertEquals("kept\n", idle.exec(vm, "cat /tmp/mark").body().get("output").asText(), "its memory");
        } finally {
            idle.terminate(vm, true);
            idle.terminate(ns, true);
        }
    }

    /**
     * Usage: a paused session's time is not metered. Its session-seconds are at most its life less
     * the time the test saw it paused (the metered pause, from its event to the resume's, holds that).
     */
    @Test
    void theTimeASessionIsPausedIsNotMetered() throws Exception {
        String orgKey = Accounts.organization(api, printed).key();
        Sessions metered = new Sessions(api, orgKey);
        long created = System.nanoTime();
        String id = Await.until(() -> metered.create("{\"session_type\":\"sandbox\",\"ephemeral\":true}"),
                r -> r.status() == 201 || r.status() == 202, 60, "a session").body().get("id").asText();
        Await.until(() -> metered.get(id), s -> s.get("status").asText().equals("running"), 180, "it runs");
        assertEquals(200, api.call("POST", "/v1/sessions/" + id + "/pause", orgKey, null, null).status());
        long paused = System.nanoTime();
        // time has to pass for a meter to show it is not counted: there is nothing to await instead
        Thread.sleep(8_000);
        long resumed = System.nanoTime();
        assertEquals(200, api.call("POST", "/v1/sessions/" + id + "/resume", orgKey, null, null).status());
        assertEquals(0, metered.exec(id, "sleep 2").body().get("exit_code").asInt(), "two seconds running");
        assertEquals(200, metered.terminate(id, true).status());
        long ended = System.nanoTime();
        JsonNode summary = Await.until(() -> api.get("/v1/billing/summary", orgKey).body(),
                b -> b.get("active_sessions").asInt() == 0, 60, "the session's end is metered");
        long seconds = summary.get("session_seconds").get("last_24h").get("sandbox").asLong();
        long life = java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(ended - created);
        long pausedFor = java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(resumed - paused);
        assertTrue(seconds >= 2, "positive control: its running time is metered: " + summary);
        assertTrue(seconds <= life - pausedFor + 2, seconds + " s metered for a life of " + life + " s of which "
                + pausedFor + " s paused: " + summary);
    }

    @Test
    void aNamespaceSessionCannotBePausedAndRunsOn() throws Exception {
        String id = running("{\"session_type\":\"sandbox\",\"ephemeral\":true,\"runtime\":\"namespace\"}")
                .get("id").asText();
        try {
            var refused = api.call("POST", "/v1/sessions/" + id + "/pause", key, null, null);
            assertEquals(409, refused.status(), refused.body().toString());
            assertEquals("unsupported_for_runtime", Sessions.code(refused));
            assertEquals("running", sessions.get(id).get("status").asText());
            // positive control: it answers as before
            assertEquals("ok\n", sessions.exec(id, "echo ok").body().get("output").asText());
            var notPaused = api.call("POST", "/v1/sessions/" + id + "/resume", key, null, null);
            assertEquals(200, notPaused.status(), "a running session's resume answers it as it is");
        } finally {
            sessions.terminate(id, true);
        }
    }
}
