package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** A terminal outlives a dropped connection: attached again through the gateway, it replays what was missed. */
@PlatformHost
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TerminalAttachIT {

    private Api api;
    private String key;
    private Sessions sessions;
    private String id;

    @BeforeAll
    void up() throws Exception {
        LocalPlatform platform = SharedPlatform.get();
        api = new Api(platform.apiUrl());
        key = SharedPlatform.credentials().get("CHASER_API_KEY");
        sessions = new Sessions(api, key);
        id = sessions.ephemeralSandbox().get("id").asText();
    }

    @AfterAll
    void down() throws Exception {
        sessions.terminate(id, true);
    }

    @Test
    void aTerminalWhoseClientDroppedIsAttachedAgainWithWhatItMissed() throws Exception {
        String ws = api.baseUrl().replaceFirst("^http", "ws") + "/v1/sessions/" + id + "/pty";
        Map<String, String> auth = Map.of("Authorization", "Bearer " + key);
        String ptyId;
        long received;
        try (Terminal first = Terminal.open(ws + "?mode=agent", auth)) {
            first.type("echo before-$((6*7)); sleep 3; echo after-$((6*8)); echo $$ > /tmp/pty-pid\n");
            first.await("before-42", 20);
            ptyId = first.ptyId();
            assertNotNull(ptyId, "the server names the terminal first");
            received = first.received();
        } // dropped without a close, as a network failure or a dying gateway does
        try (Terminal again = Terminal.open(ws + "?attach=" + ptyId + "&offset=" + received, auth)) {
            again.await("after-48", 20);
            assertEquals(ptyId, again.ptyId());
            assertFalse(again.printed().contains("before-42"), "nothing it had is sent twice: " + again.printed());
            again.type("exit 4\n");
            assertEquals(4, again.nextControl(20).get("exit_code").asInt(), "the same shell, to its end");
        }
        // a terminal closed on purpose ends; one that never existed cannot be attached
        String closedId;
        try (Terminal closing = Terminal.open(ws + "?mode=agent", auth)) {
            closing.type("echo ready\n");
            closing.await("ready", 20);
            closedId = closing.ptyId();
            closing.hangUp();
            Await.until(closing::closed, 20, "the closed terminal's connection ends");
        }
        for (String gone : new String[]{ closedId, "not-a-terminal" }) {
            var refused = Await.until(() -> api.get("/v1/sessions/" + id + "/pty?attach=" + gone, key),
                    r -> r.status() == 404, 20, "attaching " + gone + " is refused");
            assertEquals("pty_not_found", Sessions.code(refused), refused.body().toString());
        }
    }

    /**
     * 16 MiB typed at once into a terminal whose command does not read for 5 s: the sender is slowed
     * (the data plane pauses the socket while the terminal is behind) and every byte arrives in order.
     * Before, input beyond 1 MiB waiting in the host agent was dropped (an sftp upload over ssh broke).
     */
    @Test
    void inputFasterThanTheTerminalReadsIsSlowedDownNotDropped() throws Exception {
        String command = "stty raw -echo; printf ready; sleep 5; head -c 16777216 | sha256sum";
        String ws = api.baseUrl().replaceFirst("^http", "ws") + "/v1/sessions/" + id + "/pty?mode=exec&command="
                + java.net.URLEncoder.encode(command, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
        byte[] data = new byte[16 * 1024 * 1024];
        new java.util.Random(30).nextBytes(data);
        String sum = java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
        try (Terminal terminal = Terminal.open(ws, Map.of("Authorization", "Bearer " + key))) {
            terminal.await("ready", 30);
            for (int at = 0; at < data.length; at += 64 * 1024) {
                terminal.typeBytes(java.util.Arrays.copyOfRange(data, at, at + 64 * 1024), 60);
            }
            terminal.await(sum, 90);
            assertEquals(0, terminal.nextControl(20).get("exit_code").asInt(), terminal.printed());
        }
    }
}
