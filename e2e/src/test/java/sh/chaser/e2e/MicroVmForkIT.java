package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Fork through the gateway (issue 30) on the microVM platform ({@link QemuPlatform}, TCG here): a
 * running session with a value in its RAM, a process and a file forked into two sessions that start
 * where it was, each on an identity and a disk of its own, the parent running on; a browser with a
 * cookie and an open page forked into two that both have them; and what a fork refuses (a namespace
 * session, a bad count, the account's concurrent sessions, another account).
 */
@PlatformHost
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MicroVmForkIT {

    private Api api;
    private String key;
    private Sessions sessions;
    private Map<String, String> printed;

    @BeforeAll
    void up() throws Exception {
        QemuPlatform.get();
        printed = QemuPlatform.credentials();
        api = new Api(printed.get("CHASER_API_URL"));
        key = printed.get("CHASER_API_KEY");
        sessions = new Sessions(api, key);
    }

    @Test
    void aRunningSessionForksIntoSessionsThatStartWhereItWas() throws Exception {
        String ws = sessions.workspace("sandbox");
        String parent = sessions.running("{\"session_type\":\"sandbox\",\"workspace\":\"" + ws + "\"}");
        List<String> children = new ArrayList<>();
        try {
            String bootId = sessions.output(parent, "echo 41 > /tmp/value && echo p > /workspace/from-parent"
                    + " && cat /proc/sys/kernel/random/boot_id");
            assertEquals(200, sessions.execBackground(parent, "exec sleep 4242").status());
            var forked = api.call("POST", "/v1/sessions/" + parent + "/fork", key, null, "{\"count\":2}");
            assertEquals(201, forked.status(), forked.body().toString());
            for (JsonNode child : forked.body().get("data")) {
                children.add(child.get("id").asText());
                assertEquals("running", child.get("status").asText(), child.toString());
                assertTrue(child.get("ephemeral").asBoolean(), child.toString());
                assertEquals("qemu", child.get("runtime").asText(), child.toString());
            }
            assertEquals(2, children.size());
            assertEquals("running", sessions.get(parent).get("status").asText(), "the parent runs on");
            for (String child : children) {
                assertEquals(bootId, sessions.output(child, "cat /proc/sys/kernel/random/boot_id"),
                        "its parent's memory");
                assertEquals("41", sessions.output(child, "cat /tmp/value"));
                assertEquals("runs", sessions.output(child, "pgrep -x -f 'sleep 4242' >/dev/null && echo runs"));
                assertEquals("p", sessions.output(child, "cat /workspace/from-parent"), "a copy of its parent's disk");
                assertNotEquals(sessions.output(parent, "hostname"), sessions.output(child, "hostname"),
                        "a hostname of its own");
            }
            assertNotEquals(sessions.output(children.get(0), "head -c 16 /dev/urandom | od -An -tx1"),
                    sessions.output(children.get(1), "head -c 16 /dev/urandom | od -An -tx1"),
                    "random numbers of its own");
            sessions.output(children.get(0), "echo a > /workspace/only-a");
            for (String other : List.of(parent, children.get(1))) {
                assertEquals("absent", sessions.output(other, "cat /workspace/only-a 2>/dev/null || echo absent"));
            }
            assertEquals("41", sessions.output(parent, "cat /tmp/value"));
            var audit = api.get("/v1/audit/events?action=session.fork&resource_id=" + parent, key);
            assertEquals(1, audit.body().get("data").size(), audit.body().toString());
        } finally {
            for (String child : children) {
                sessions.terminate(child, true);
            }
            sessions.terminate(parent, true);
            assertEquals(204, api.call("DELETE", "/v1/workspaces/" + ws + "?force=true", key, null, null).status());
        }
    }

    /** Issue 30's proof for browsers: a fork of a browser with a cookie and an open page has both. */
    @Test
    void everyForkOfABrowserHasItsCookieAndItsOpenPage() throws Exception {
        var playwright = new PlaywrightClient(240);
        String parent = sessions.running("{\"session_type\":\"browser\",\"ephemeral\":true}");
        List<String> children = new ArrayList<>();
        try {
            String value = "fork-" + java.util.UUID.randomUUID();
            var opened = playwright.run(api.baseUrl() + "/s/" + parent + "/", "open-page", key, value);
            assertEquals("open " + value, opened.get("title").asText(), opened.toString());
            Await.until(() -> sessions.get(parent).get("active_connection_leases").asInt() == 0, 30,
                    "the DevTools connection's lease is released");
            var forked = api.call("POST", "/v1/sessions/" + parent + "/fork", key, null, "{\"count\":2}");
            assertEquals(201, forked.status(), forked.body().toString());
            forked.body().get("data").forEach(child -> children.add(child.get("id").asText()));
            for (String child : children) {
                JsonNode seen = playwright.run(api.baseUrl() + "/s/" + child + "/", "pages", key, null);
                assertTrue(seen.get("titles").toString().contains("open " + value), child + ": " + seen);
                assertEquals("[\"" + value + "\"]", seen.get("cookies").toString(), child + ": " + seen);
            }
        } finally {
            for (String child : children) {
                sessions.terminate(child, true);
            }
            sessions.terminate(parent, true);
        }
    }

    @Test
    void aForkIsRefusedWhatItCannotDoAndMakesNothing() throws Exception {
        var org = Accounts.organization(api, printed);
        assertEquals(200, api.call("PATCH", "/v1/admin/accounts/" + org.id() + "/limits", key, null,
                "{\"concurrent_sessions\":2}").status());
        Sessions theirs = new Sessions(api, org.key());
        String vm = theirs.running("{\"session_type\":\"sandbox\",\"ephemeral\":true}");
        String ns = theirs.running("{\"session_type\":\"sandbox\",\"ephemeral\":true,\"runtime\":\"namespace\"}");
        try {
            for (String count : List.of("0", "17", "\"two\"")) {
                var bad = api.call("POST", "/v1/sessions/" + vm + "/fork", org.key(), null,
                        "{\"count\":" + count + "}");
                assertEquals(400, bad.status(), count + ": " + bad.body());
                // in the contract's envelope, a count of the wrong type too (it had no body)
                assertEquals("invalid_request", Sessions.code(bad), count + ": " + bad.body());
                if (!count.startsWith("\"")) {
                    assertEquals("count", bad.body().get("error").get("field").asText(), bad.body().toString());
                }
            }
            var full = api.call("POST", "/v1/sessions/" + vm + "/fork", org.key(), null, "{\"count\":1}");
            assertEquals(403, full.status(), full.body().toString());
            assertEquals("limit_exceeded", Sessions.code(full));
            var namespace = api.call("POST", "/v1/sessions/" + ns + "/fork", org.key(), null, "{\"count\":1}");
            assertEquals(409, namespace.status(), namespace.body().toString());
            assertEquals("unsupported_for_runtime", Sessions.code(namespace));
            var foreign = api.call("POST", "/v1/sessions/" + vm + "/fork", key, null, "{\"count\":1}");
            assertEquals(404, foreign.status(), "another account's session: " + foreign.body());
            var live = api.get("/v1/sessions?status=running", org.key()).body().get("data");
            assertEquals(2, live.size(), "nothing was made: " + live);
            assertEquals("running", theirs.get(ns).get("status").asText(), "the namespace session runs on");
            assertEquals("ok", theirs.exec(vm, "echo ok").body().get("output").asText().strip());
        } finally {
            theirs.terminate(ns, true);
            theirs.terminate(vm, true);
        }
        var creating = api.get("/v1/sessions?status=creating", org.key()).body().get("data");
        assertEquals(0, creating.size(), creating.toString());
    }
}
