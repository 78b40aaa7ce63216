package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import sh.chaser.proto.vmagent.v1.BootRequest;
import sh.chaser.proto.vmagent.v1.DestroyRequest;
import sh.chaser.proto.vmagent.v1.ListVmsRequest;

/** Sessions from boot to terminate through the gateway: files across sessions, leases, exec, reconciliation. */
@PlatformHost
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionLifecycleIT {

    private Api api;
    private String key;
    private Sessions sessions;
    private AgentDisks agent;

    @BeforeAll
    void up() throws Exception {
        LocalPlatform platform = SharedPlatform.get();
        api = new Api(platform.apiUrl());
        key = SharedPlatform.credentials().get("CHASER_API_KEY");
        sessions = new Sessions(api, key);
        agent = new AgentDisks(platform);
    }

    @AfterAll
    void close() {
        agent.close();
    }

    @Test
    void filesWrittenInOneSessionOfAWorkspaceAreThereInTheNext() throws Exception {
        String ws = sessions.workspace("sandbox");
        String first = sessions.started("{\"session_type\":\"sandbox\",\"workspace\":\"" + ws + "\"}").get("id")
                .asText();
        var write = sessions.exec(first, "mkdir -p notes && echo 'kept across sessions' > notes/a.txt && echo ok");
        assertEquals(200, write.status(), write.body().toString());
        assertEquals("ok\n", write.body().get("output").asText());
        assertEquals(200, sessions.terminate(first, false).status());
        Await.until(() -> api.get("/v1/workspaces/" + ws, key).body().get("active_session_id").isNull(), 20,
                "the terminated session releases the workspace");

        var second = sessions.started("{\"session_type\":\"sandbox\",\"workspace\":\"" + ws + "\"}");
        assertFalse(first.equals(second.get("id").asText()));
        var read = sessions.exec(second.get("id").asText(), "cat /workspace/notes/a.txt");
        assertEquals("kept across sessions\n", read.body().get("output").asText());
        assertEquals(second.get("id").asText(),
                api.get("/v1/workspaces/" + ws, key).body().get("active_session_id").asText());
        sessions.terminate(second.get("id").asText(), false);

        // an ephemeral session's files die with it
        var e1 = api.call("POST", "/v1/exec", key, null, "{\"command\":\"echo gone > /workspace/x && ls /workspace\"}");
        assertEquals("x\n", e1.body().get("output").asText());
        assertEquals("terminated", sessions.get(e1.body().get("session_id").asText()).get("status").asText());
        var e2 = api.call("POST", "/v1/exec", key, null, "{\"command\":\"ls -A /workspace | wc -l\"}");
        assertEquals("0\n", e2.body().get("output").asText());
    }

    @Test
    void bulkTerminateRefusesASessionWithAnOpenConnectionUnlessForcedAndEndsTheOthers() throws Exception {
        String ws = sessions.workspace("sandbox");
        String held = sessions.started("{\"session_type\":\"sandbox\",\"workspace\":\"" + ws + "\"}").get("id")
                .asText();
        String free = sessions.ephemeralSandbox().get("id").asText();
        CompletableFuture<Api.Reply> running = postInBackground("/v1/exec",
                "{\"workspace\":\"" + ws + "\",\"command\":\"sleep 60\"}");
        Await.until(() -> sessions.get(held).get("active_connection_leases").asInt() == 1, 20,
                "the exec holds a lease");
        String both = "{\"ids\":[\"" + held + "\",\"" + free + "\"]";
        var bulk = api.call("POST", "/v1/sessions/bulk-terminate", key, null, both + "}");
        assertEquals(200, bulk.status(), bulk.body().toString());
        // the free one ends (the bulk ran), the held one is refused with the single terminate's code
        assertEquals("[\"" + free + "\"]", bulk.body().get("terminated").toString());
        assertEquals(1, bulk.body().get("failed").size(), bulk.body().toString());
        assertEquals(held, bulk.body().get("failed").get(0).get("id").asText());
        assertEquals("session_has_active_leases", bulk.body().get("failed").get(0).get("code").asText());
        assertEquals("running", sessions.get(held).get("status").asText());
        assertEquals("user", sessions.get(free).get("termination_reason").asText());

        var forced = api.call("POST", "/v1/sessions/bulk-terminate", key, null, both + ",\"force\":true}");
        assertEquals(200, forced.status(), forced.body().toString());
        assertTrue(forced.body().get("terminated").toString().contains(held), forced.body().toString());
        assertEquals(0, forced.body().get("failed").size(), forced.body().toString());
        assertEquals("forced", sessions.get(held).get("termination_reason").asText());
        assertEquals(200, running.get(90, java.util.concurrent.TimeUnit.SECONDS).status());
    }

    @Test
    void terminateIsRefusedWhileAConnectionIsOpenUnlessForced() throws Exception {
        String ws = sessions.workspace("sandbox");
        String id = sessions.started("{\"session_type\":\"sandbox\",\"workspace\":\"" + ws + "\"}").get("id").asText();
        // a long exec holds a connection lease for as long as it runs
        CompletableFuture<Api.Reply> running = postInBackground("/v1/exec",
                "{\"workspace\":\"" + ws + "\",\"command\":\"sleep 60\"}");
        Await.until(() -> sessions.get(id).get("active_connection_leases").asInt() == 1, 20, "the exec holds a lease");
        var refused = sessions.terminate(id, false);
        assertEquals(409, refused.status());
        assertEquals("session_has_active_leases", Sessions.code(refused));
        assertEquals("running", sessions.get(id).get("status").asText());

        var forced = sessions.terminate(id, true);
        assertEquals(200, forced.status());
        assertEquals("terminated", forced.body().get("status").asText());
        assertEquals("forced", forced.body().get("termination_reason").asText());
        assertEquals(0, forced.body().get("active_connection_leases").asInt());
        var killed = running.get();
        assertEquals(200, killed.status(), killed.body().toString());
        // the terminate asked it to end first (SIGTERM: 143); one that ignored that for 3 s is killed (137)
        int exit = killed.body().get("exit_code").asInt();
        assertTrue(exit == 143 || exit == 137, "the command ended with its sandbox: " + killed.body());
        // idempotent on a terminated session
        var again = sessions.terminate(id, false);
        assertEquals(200, again.status());
        assertEquals("forced", again.body().get("termination_reason").asText());

        // without leases a plain terminate works, and both ends are audited
        String plain = sessions.ephemeralSandbox().get("id").asText();
        assertEquals("user", sessions.terminate(plain, false).body().get("termination_reason").asText());
        Await.until(() -> api.get("/v1/audit/events?resource_id=" + plain, key).body().get("data").size() == 2, 30,
                "session.create and session.terminate are audited");
        var actions = api.get("/v1/audit/events?resource_id=" + plain, key).body().get("data").toString();
        assertTrue(actions.contains("session.create") && actions.contains("session.terminate"), actions);
    }

    @Test
    void aLongExecInASessionHoldsALeaseUntilItEnds() throws Exception {
        String id = sessions.ephemeralSandbox().get("id").asText();
        CompletableFuture<Api.Reply> running = postInBackground("/v1/sessions/" + id + "/exec",
                "{\"command\":\"sleep 4; echo done\"}");
        Await.until(() -> sessions.get(id).get("active_connection_leases").asInt() == 1, 20, "the exec holds a lease");
        var refused = sessions.terminate(id, false);
        assertEquals(409, refused.status(), refused.body().toString());
        assertEquals("session_has_active_leases", Sessions.code(refused));
        var done = running.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals("done\n", done.body().get("output").asText(), done.body().toString());
        Await.until(() -> sessions.get(id).get("active_connection_leases").asInt() == 0, 20,
                "the lease ends with the exec");
        assertEquals("user", sessions.terminate(id, false).body().get("termination_reason").asText());
    }

    @Test
    void execHonoursItsOptionsAndRefusesBrowsers() throws Exception {
        String id = sessions.ephemeralSandbox().get("id").asText();
        var r = api.call("POST", "/v1/sessions/" + id + "/exec", key, null,
                "{\"command\":\"pwd; echo $GREETING; echo to-stderr >&2; exit 4\","
                        + "\"cwd\":\"/tmp\",\"env\":{\"GREETING\":\"hello\"}}");
        assertEquals(200, r.status(), r.body().toString());
        assertEquals(4, r.body().get("exit_code").asInt());
        assertEquals("/tmp\nhello\nto-stderr\n", r.body().get("output").asText());
        // served on the data plane, audited after the answer: who ran it, where, and how it ended
        var audited = Await.until(() -> api.get("/v1/audit/events?resource_id=" + id, key).body().get("data"),
                d -> d.toString().contains("session.exec"), 30, "the exec is audited");
        assertTrue(audited.toString().contains("\"exit_code\":4") && audited.toString().contains("\"actor_type\""),
                audited.toString());
        var timedOut = api.call("POST", "/v1/sessions/" + id + "/exec", key, null,
                "{\"command\":\"echo started; sleep 30\",\"timeout_ms\":500}");
        assertTrue(timedOut.body().get("timed_out").asBoolean(), timedOut.body().toString());
        assertEquals("started\n", timedOut.body().get("output").asText());
        var big = api.call("POST", "/v1/sessions/" + id + "/exec", key, null,
                "{\"command\":\"head -c 2000000 /dev/zero | tr '\\\\0' a\"}");
        assertTrue(big.body().get("output_truncated").asBoolean());
        assertEquals(1 << 20, big.body().get("output").asText().length());
        assertEquals("invalid_request",
                Sessions.code(api.call("POST", "/v1/sessions/" + id + "/exec", key, null, "{}")));
        assertEquals("timeout_ms", api.call("POST", "/v1/sessions/" + id + "/exec", key, null,
                "{\"command\":\"true\",\"timeout_ms\":0}").body().get("error").get("field").asText());
        sessions.terminate(id, false);
        var ended = api.call("POST", "/v1/sessions/" + id + "/exec", key, null, "{\"command\":\"true\"}");
        assertEquals(409, ended.status());
        assertEquals("session_not_running", Sessions.code(ended));

        String browser = sessions.started("{\"session_type\":\"browser\",\"ephemeral\":true}").get("id").asText();
        var refused = api.call("POST", "/v1/sessions/" + browser + "/exec", key, null, "{\"command\":\"true\"}");
        assertEquals(400, refused.status());
        assertEquals("unsupported_for_session_type", Sessions.code(refused));
        sessions.terminate(browser, false);
    }

    @Test
    void statusFollowsWhatTheHostReallyRuns() throws Exception {
        // the VM dies behind the control plane's back: GET reports it at once
        String id = sessions.ephemeralSandbox().get("id").asText();
        killInit(id);
        var seen = Await.until(() -> sessions.get(id), s -> s.get("status").asText().equals("terminated"), 10,
                "GET notices the dead VM");
        assertEquals("vm_exited", seen.get("termination_reason").asText());

        // a VM without a session (booted straight on the agent) is destroyed by the reconcile loop
        String stray = UUID.randomUUID().toString();
        agent.vms().boot(BootRequest.newBuilder().setSessionId(stray).setSessionType("sandbox").build());
        Await.until(() -> agent.vms().list(ListVmsRequest.getDefaultInstance()).getVmsList().stream()
                .noneMatch(vm -> vm.getSessionId().equals(stray)), 30, "the stray VM is destroyed");

        // a running session whose VM died is found by the loop without anyone asking
        String ws = sessions.workspace("sandbox");
        String died = sessions.started("{\"session_type\":\"sandbox\",\"workspace\":\"" + ws + "\"}").get("id")
                .asText();
        killInit(died);
        Await.until(() -> api.get("/v1/workspaces/" + ws, key).body().get("active_session_id").isNull(), 30,
                "the loop ends the session and its workspace is released");
        assertEquals("vm_exited", sessions.get(died).get("termination_reason").asText());

        // a VM that vanished (destroyed on the host by someone else) ends too, after a short grace
        String vanished = sessions.ephemeralSandbox().get("id").asText();
        agent.vms().destroy(DestroyRequest.newBuilder().setSessionId(vanished).build());
        Await.until(() -> sessions.get(vanished).get("status").asText().equals("terminated"), 30,
                "the session of a vanished VM ends");
        assertEquals("vm_exited", sessions.get(vanished).get("termination_reason").asText());
    }

    /** A POST through the gateway on another thread, e.g. a long exec that holds a connection lease. */
    private CompletableFuture<Api.Reply> postInBackground(String path, String body) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return api.call("POST", path, key, null, body);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private void killInit(String sessionId) throws Exception {
        long pid = SharedPlatform.get().sandboxInit(sessionId);
        assertTrue(pid > 1);
        assertEquals(0, new ProcessBuilder("kill", "-9", Long.toString(pid)).inheritIO().start().waitFor());
    }

    @Test
    void aForcedWorkspaceOperationEndsItsSessionWithItsReason() throws Exception {
        String ws = sessions.workspace("sandbox");
        assertEquals(201,
                api.call("POST", "/v1/workspaces/" + ws + "/snapshots", key, null, "{\"name\":\"base\"}").status());
        String first = sessions.started("{\"session_type\":\"sandbox\",\"workspace\":\"" + ws + "\"}").get("id")
                .asText();
        var blocked = api.call("POST", "/v1/workspaces/" + ws + "/snapshots/base/restore", key, null, "{}");
        assertEquals(409, blocked.status());
        assertEquals("workspace_in_use", Sessions.code(blocked));
        assertEquals(200, api.call("POST", "/v1/workspaces/" + ws + "/snapshots/base/restore", key, null,
                "{\"force\":true}").status());
        Await.until(() -> sessions.get(first).get("status").asText().equals("terminated"), 30,
                "the restore ends the session");
        assertEquals("snapshot_restore", sessions.get(first).get("termination_reason").asText());

        String second = sessions.started("{\"session_type\":\"sandbox\",\"workspace\":\"" + ws + "\"}").get("id")
                .asText();
        assertEquals(204, api.call("DELETE", "/v1/workspaces/" + ws + "?force=true", key, null, null).status());
        Await.until(() -> sessions.get(second).get("status").asText().equals("terminated"), 30,
                "the delete ends the session");
        assertEquals("workspace_deleted", sessions.get(second).get("termination_reason").asText());
    }
}
