package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What a sandbox wrote is on its workspace's disk after any terminate: 50 cycles of boot, verify
 * everything earlier cycles wrote, write (files finished before the call, and a writer still
 * writing during it), terminate (forced every other time). A file is written beside its place and
 * renamed into it, named by its own checksum: after the next boot each one seen before the
 * terminate is there and none is torn. On the namespace runtime the host's kernel holds the
 * sandbox's page cache, so this proves the teardown order (destroy, then release) and the
 * workspace's lock; MicroVmSessionsIT covers the guest's flush.
 */
@PlatformHost
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TerminateDurabilityIT {

    private static final int CYCLES = 50;
    /** Writes 32 KiB files into inflight/, each renamed into place under its SHA-256, until killed. */
    private static final String WRITER = "mkdir -p inflight && while :; do head -c 32768 /dev/urandom > .part"
            + " && h=$(sha256sum < .part | cut -c1-64) && mv .part inflight/$h; sleep 0.02; done";
    /** Prints "bad" when a finished file's sum fails, "torn NAME" for a file whose content is not its name. */
    private static final String VERIFY = "cd /workspace && mkdir -p inflight && touch sums"
            + " && { [ ! -s sums ] || sha256sum -c --quiet sums >/dev/null 2>&1 || echo bad; }"
            + " && cd inflight && { ls | grep -q . && sha256sum * | awk '$1 != $2 {print \"torn \" $2}'; true; }"
            + " && echo checked $(ls | wc -l)";

    private Sessions sessions;

    @BeforeAll
    void up() throws Exception {
        LocalPlatform platform = SharedPlatform.get();
        sessions = new Sessions(new Api(platform.apiUrl()), SharedPlatform.credentials().get("CHASER_API_KEY"));
    }

    @Test
    void fiftyTerminatesForcedOrNotLoseAndTearNothing() throws Exception {
        String workspace = sessions.workspace("sandbox");
        String body = "{\"session_type\":\"sandbox\",\"workspace\":\"" + workspace + "\"}";
        Set<String> seenBeforeTerminate = new HashSet<>();
        int finished = 0;
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            String id = sessions.started(body).get("id").asText();
            String verified = run(id, VERIFY);
            assertTrue(verified.lines().noneMatch(l -> l.startsWith("torn") || l.equals("bad")),
                    "cycle " + cycle + ": " + verified);
            Set<String> present = new HashSet<>(run(id, "ls /workspace/inflight").lines().toList());
            Set<String> lost = new HashSet<>(seenBeforeTerminate);
            lost.removeAll(present);
            assertTrue(lost.isEmpty(), "cycle " + cycle + ": written before the terminate, gone after it: " + lost);
            assertEquals(String.valueOf(finished), run(id, "wc -l < /workspace/sums").strip(),
                    "cycle " + cycle + ": every finished file is still listed");

            // finished before the terminate call: two files and their sums
            run(id, "cd /workspace && for j in 1 2; do f=done-" + cycle + "-$j; head -c 65536 /dev/urandom > $f"
                    + " && sha256sum $f >> sums; done");
            finished += 2;
            // still writing during it
            var writer = sessions.execBackground(id, "cd /workspace && " + WRITER);
            assertEquals(200, writer.status(), writer.body().toString());
            seenBeforeTerminate.addAll(run(id, "sleep 0.3; ls /workspace/inflight").lines().toList());

            var ended = sessions.terminate(id, cycle % 2 == 0);
            assertEquals(200, ended.status(), ended.body().toString());
        }
        String id = sessions.started(body).get("id").asText();
        String verified = run(id, VERIFY);
        assertTrue(verified.lines().noneMatch(l -> l.startsWith("torn") || l.equals("bad")), verified);
        assertTrue(new HashSet<>(run(id, "ls /workspace/inflight").lines().toList()).containsAll(seenBeforeTerminate));
        System.out.printf("TerminateDurabilityIT: %d cycles, %d finished and %d in-flight files checked%n", CYCLES,
                finished, seenBeforeTerminate.size());
        // the control: the probe sees a torn file and a changed finished one
        run(id, "cd /workspace && echo x >> \"inflight/$(ls inflight | head -1)\" && echo x >> done-0-1");
        String damaged = run(id, VERIFY);
        assertTrue(damaged.contains("torn ") && damaged.lines().anyMatch(l -> l.equals("bad")), damaged);
        sessions.terminate(id, true);
    }

    /**
     * A terminate, forced or not, asks what runs to end before it ends the sandbox: a program that
     * finishes its work on SIGTERM (and a terminal's shell, on its hang-up) gets to write. The
     * control: a command killed outright (SIGKILL) writes nothing, so the probe sees a skipped stop.
     */
    @Test
    void everyTerminateLetsProgramsFinishOnSigterm() throws Exception {
        String workspace = sessions.workspace("sandbox");
        String body = "{\"session_type\":\"sandbox\",\"workspace\":\"" + workspace + "\"}";
        for (boolean force : new boolean[]{ false, true }) {
            String id = sessions.started(body).get("id").asText();
            String name = force ? "forced" : "plain";
            startTrapping(id, name);
            assertEquals(200, sessions.terminate(id, force).status());
            String next = sessions.started(body).get("id").asText();
            assertEquals("finished\n", run(next, "cat /workspace/" + name + " 2>&1 || true"),
                    "a " + name + " terminate let the program finish");
            assertEquals(200, sessions.terminate(next, true).status());
        }
        String id = sessions.started(body).get("id").asText();
        String cid = startTrapping(id, "killed");
        var api = new Api(SharedPlatform.get().apiUrl());
        assertEquals(202, api.call("POST", "/v1/sessions/" + id + "/commands/" + cid + "/kill",
                SharedPlatform.credentials().get("CHASER_API_KEY"), null, "{\"signal\":\"KILL\"}").status());
        Await.until(() -> "exited".equals(api.get("/v1/sessions/" + id + "/commands/" + cid,
                SharedPlatform.credentials().get("CHASER_API_KEY")).body().path("status").asText()), 30,
                "the killed command is gone");
        assertEquals("", run(id, "cat /workspace/killed 2>/dev/null || true"), "SIGKILL leaves no time to write");
        sessions.terminate(id, true);
    }

    /** A command that writes {@code /workspace/<name>} when it gets SIGTERM, once its trap is set. */
    private String startTrapping(String id, String name) throws Exception {
        var started = sessions.execBackground(id, "bash -c 'trap \"sleep 0.5; echo finished > /workspace/" + name
                + "; exit 0\" TERM; touch /workspace/" + name + ".ready; while :; do sleep 0.1; done'");
        assertEquals(200, started.status(), started.body().toString());
        Await.until(() -> run(id, "ls /workspace").contains(name + ".ready"), 30, "the trap is set");
        return started.body().get("command_id").asText();
    }

    private String run(String id, String command) throws Exception {
        var r = sessions.exec(id, command);
        assertEquals(200, r.status(), r.body().toString());
        JsonNode out = r.body();
        assertEquals(0, out.get("exit_code").asInt(), command + ": " + out);
        return out.get("output").asText();
    }
}
