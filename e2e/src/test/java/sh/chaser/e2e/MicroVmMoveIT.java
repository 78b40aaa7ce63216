package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import sh.chaser.testhost.NeedsTools;

/**
 * A resume after a host change, with more than one agent (issue 30): the microVM platform
 * ({@link QemuPlatform}) gets a second host ({@link SecondHost}: an agent in a network namespace of
 * its own, joined like an agent on another machine). A paused ephemeral session whose host has become
 * full resumes on the second host: its memory (the kernel's boot id, a value in RAM), its disk, its
 * background command counting on with its output stream read on by offset (nothing lost or doubled)
 * and its hostname, with its id and endpoints, audited as a move. Beside it, the negative: a paused
 * workspace session on the same full host does not move (its disk stays with its workspace) and is
 * refused as the full host refuses it.
 */
@PlatformHost
@NeedsTools({ "socat", "nsenter" })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MicroVmMoveIT {

    private LocalPlatform platform;
    private Api api;
    private String key;
    private Sessions sessions;

    @BeforeAll
    void up() throws Exception {
        platform = QemuPlatform.get();
        Map<String, String> printed = QemuPlatform.credentials();
        api = new Api(printed.get("CHASER_API_URL"));
        key = printed.get("CHASER_API_KEY");
        sessions = new Sessions(api, key);
    }

    @Test
    void aPausedSessionWhoseHostIsFullResumesOnAnotherHostWhereItStopped() throws Exception {
        String ws = sessions.workspace("sandbox");
        // both on the platform's host: the second one does not exist yet
        String moving = sessions.running("{\"session_type\":\"sandbox\",\"ephemeral\":true}");
        String staying = sessions.running("{\"session_type\":\"sandbox\",\"workspace\":\"" + ws + "\"}");
        List<String> fillers = new ArrayList<>();
        try (SecondHost second = new SecondHost(platform)) {
            assertEquals(platform.hostId(), sessions.get(moving).get("host").asText());
            String bootId = sessions.output(moving, "echo 41 > /tmp/value && echo d > /workspace/on-disk"
                    + " && cat /proc/sys/kernel/random/boot_id");
            String hostname = sessions.output(moving, "hostname");
            var started = sessions.execBackground(moving, "i=0; while :; do i=$((i+1)); echo $i; sleep 0.05; done");
            assertEquals(200, started.status(), started.body().toString());
            String cid = started.body().get("command_id").asText();
            String url = api.baseUrl() + "/v1/sessions/" + moving + "/commands/" + cid + "/stream";
            var client = new OutputStreamClient();
            var received = new java.io.ByteArrayOutputStream();
            var read = client.read(url, key, null, 100);
            received.writeBytes(read.bytes());
            String last = Long.toString(read.lastId());
            Await.until(() -> sessions.get(moving).get("active_connection_leases").asInt() == 0, 30,
                    "the hung-up stream's lease is released");
            for (String id : List.of(moving, staying)) {
                var paused = api.call("POST", "/v1/sessions/" + id + "/pause", key, null, null);
                assertEquals(200, paused.status(), paused.body().toString());
            }

            second.start();
            fillThePlatformsHost(fillers);

            var refused = api.call("POST", "/v1/sessions/" + staying + "/resume", key, null, null);
            assertEquals(503, refused.status(), "a workspace session stays with its disk: " + refused.body());
            assertEquals("no_capacity", Sessions.code(refused));
            assertEquals("paused", sessions.get(staying).get("status").asText());
            assertEquals(platform.hostId(), sessions.get(staying).get("host").asText());

            var resumed = api.call("POST", "/v1/sessions/" + moving + "/resume", key, null, null);
            assertEquals(200, resumed.status(), resumed.body().toString());
            assertEquals("running", resumed.body().get("status").asText());
            assertEquals(second.hostId, resumed.body().get("host").asText(), "resumed on the second host");
            assertEquals(moving, resumed.body().get("id").asText());
            assertEquals(bootId, sessions.output(moving, "cat /proc/sys/kernel/random/boot_id"), "its memory");
            assertEquals("41\nd", sessions.output(moving, "cat /tmp/value; cat /workspace/on-disk"), "RAM and disk");
            assertEquals(hostname, sessions.output(moving, "hostname"));
            var more = client.read(url, key, last, 200);
            assertEquals(received.size(), more.firstOffset(), "the stream goes on where it was read to");
            received.writeBytes(more.bytes());
            assertCountedOnWithoutLossOrRepeat(client, url, Long.toString(more.lastId()), moving, cid, received);
            var audit = api.get("/v1/audit/events?action=session.move&resource_id=" + moving, key);
            assertEquals(200, audit.status(), audit.body().toString());
            assertEquals(1, audit.body().get("data").size(), audit.body().toString());
            for (String id : fillers) {
                sessions.terminate(id, true);
            }
            assertEquals(200, sessions.terminate(moving, true).status());
            Await.until(() -> sessions.get(moving).get("status").asText().equals("terminated"), 60, "it ends");
        } finally {
            for (String id : fillers) {
                sessions.terminate(id, true);
            }
            sessions.terminate(moving, true);
            sessions.terminate(staying, true);
            api.call("DELETE", "/v1/workspaces/" + ws + "?force=true", key, null, null);
        }
        awaitSecondHostGone();
    }

    /** The command killed, its stream read to its end: one count from 1, nothing lost or doubled. */
    private void assertCountedOnWithoutLossOrRepeat(OutputStreamClient client, String url, String last, String id,
            String cid, java.io.ByteArrayOutputStream received) throws Exception {
        var kill = api.call("POST", "/v1/sessions/" + id + "/commands/" + cid + "/kill", key, null,
                "{\"signal\":\"KILL\"}");
        assertEquals(202, kill.status(), kill.body().toString());
        var rest = client.read(url, key, last, Long.MAX_VALUE);
        received.writeBytes(rest.bytes());
        assertEquals(128 + 9, rest.exitCode());
        String[] numbers = received.toString(java.nio.charset.StandardCharsets.UTF_8).strip().split("\n");
        assertTrue(numbers.length > 10, "some counting: " + numbers.length);
        for (int i = 0; i < numbers.length; i++) {
            assertEquals(Integer.toString(i + 1), numbers[i], "nothing lost or doubled: line " + (i + 1));
        }
    }

    /** The platform's host fills up with sessions only it runs (namespace: the second host runs qemu only). */
    private void fillThePlatformsHost(List<String> fillers) throws Exception {
        String filler = "{\"session_type\":\"sandbox\",\"ephemeral\":true,\"runtime\":\"namespace\"}";
        for (int i = 0; i < 40; i++) {
            var created = sessions.create(filler);
            if (created.status() == 503) {
                assertEquals("no_capacity", Sessions.code(created), created.body().toString());
                return;
            }
            assertTrue(created.status() == 201 || created.status() == 202, created.body().toString());
            fillers.add(created.body().get("id").asText());
        }
        throw new AssertionError("the platform's host took 40 sessions and was still not full");
    }

    /** Until session-service no longer counts the stopped second host as live (no other test's session goes there). */
    private void awaitSecondHostGone() throws Exception {
        String token = java.nio.file.Files.readString(platform.hostJoinToken()).trim();
        var channel = platform.channel(platform.sessionPort(), sh.chaser.contracts.InternalCallers.AGENT + "/"
                + platform.hostId());
        try {
            var registry = sh.chaser.proto.session.v1.HostRegistryGrpc.newBlockingStub(channel);
            Await.until(() -> registry.withDeadlineAfter(10, java.util.concurrent.TimeUnit.SECONDS)
                    .listHosts(sh.chaser.proto.session.v1.ListHostsRequest.newBuilder().setJoinToken(token).build())
                    .getHostsList().stream().noneMatch(h -> h.getHostId().startsWith("e2e-second-")), 90,
                    "the stopped second host is no longer live");
        } finally {
            channel.shutdownNow();
        }
    }
}
