package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The raw upload form through the gateway with curl: the file's bytes as
 * {@code application/octet-stream} and {@code ?path=}, by PUT or POST, with a length or chunked,
 * streamed into the sandbox. Whatever is refused or cut off leaves nothing behind.
 */
@PlatformHost
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RawUploadIT {

    private static final String CURL = "curl -sS -H \"Authorization: Bearer $CHASER_API_KEY\""
            + " -H 'Content-Type: application/octet-stream' ";
    private Sessions sessions;
    private Shell shell;
    private String id;

    @BeforeAll
    void up() throws Exception {
        LocalPlatform platform = SharedPlatform.get();
        sessions = new Sessions(new Api(platform.apiUrl()), SharedPlatform.credentials().get("CHASER_API_KEY"));
        id = sessions.ephemeralSandbox().get("id").asText();
        Map<String, String> env = new HashMap<>(SharedPlatform.credentials());
        env.put("SID", id);
        shell = new Shell(env);
        shell.run(
                "head -c 16777216 /dev/urandom > /tmp/chaser-raw-16m && head -c 16777217 /dev/zero > /tmp/chaser-raw-16m1");
    }

    @AfterAll
    void down() throws Exception {
        shell.run("rm -f /tmp/chaser-raw-16m /tmp/chaser-raw-16m1 /tmp/chaser-raw-16m.down");
        if (id != null) {
            sessions.terminate(id, true);
        }
    }

    private String inSandbox(String command) throws Exception {
        return sessions.exec(id, command).body().get("output").asText();
    }

    @Test
    void sixteenMiBGoInByPutAndComeBackIntact() throws Exception {
        JsonNode up = shell.json(CURL + "-X PUT --data-binary @/tmp/chaser-raw-16m"
                + " \"$CHASER_API_URL/v1/sessions/$SID/upload?path=raw/file.bin\"");
        assertEquals("/workspace/raw/file.bin", up.get("path").asText());
        assertEquals(16777216, up.get("size").asLong());
        assertEquals(shell.run("sha256sum /tmp/chaser-raw-16m | cut -d' ' -f1").strip(), up.get("sha256").asText());
        shell.run(CURL + "-o /tmp/chaser-raw-16m.down \"$CHASER_API_URL/v1/sessions/$SID/download?path=raw/file.bin\""
                + " && cmp /tmp/chaser-raw-16m /tmp/chaser-raw-16m.down");
        // POST, chunked (no length), and the short /s/ form
        JsonNode chunked = shell
                .json("printf 'hello raw' | " + CURL + "-H 'Transfer-Encoding: chunked' --data-binary @-"
                        + " \"$CHASER_API_URL/s/$SID/upload?path=raw/hello.txt\"");
        assertEquals(9, chunked.get("size").asLong());
        assertEquals("hello raw", inSandbox("cat /workspace/raw/hello.txt"));
    }

    @Test
    void pastSixteenMiBIsRefusedAndWritesNothing() throws Exception {
        String withLength = shell.run(CURL + "-X PUT --data-binary @/tmp/chaser-raw-16m1 -w ' %{http_code}'"
                + " \"$CHASER_API_URL/v1/sessions/$SID/upload?path=raw/too.bin\" || true");
        assertEquals("payload_too_large 413", code(withLength), withLength);
        String chunked = shell.run(CURL + "-X PUT -H 'Transfer-Encoding: chunked' --data-binary @/tmp/chaser-raw-16m1"
                + " -w ' %{http_code}' \"$CHASER_API_URL/v1/sessions/$SID/upload?path=raw/too.bin\" || true");
        assertEquals("payload_too_large 413", code(chunked), chunked);
        assertEquals("0\n", inSandbox("ls -a /workspace/raw 2>/dev/null | grep -c too || true"),
                "neither the file nor a partial one is left");
    }

    @Test
    void anUploadCutOffHalfwayLeavesNothing() throws Exception {
        // control: the same streaming pipeline, not cut off, writes the file
        shell.run("head -c 1048576 /dev/zero | " + CURL
                + "-T - \"$CHASER_API_URL/v1/sessions/$SID/upload?path=raw/whole.bin\"");
        assertEquals("1048576\n", inSandbox("stat -c %s /workspace/raw/whole.bin"));
        shell.run("(head -c 1048576 /dev/zero; sleep 6) | timeout -s KILL 3 " + CURL
                + "-T - \"$CHASER_API_URL/v1/sessions/$SID/upload?path=raw/cut.bin\" || true");
        Await.until(() -> inSandbox("ls -a /workspace/raw | grep -c cut || true"), "0\n"::equals, 30,
                "the cut-off upload's partial file is removed");
    }

    @Test
    void pathsOutsideTheSandboxAndMissingOnesAreRefused() throws Exception {
        String hostPasswd = java.nio.file.Files.readString(java.nio.file.Path.of("/etc/passwd"));
        inSandbox("ln -sf /etc/passwd /workspace/raw-abs");
        for (String path : new String[]{ "raw-abs", "../../etc/passwd", "/proc/self/environ" }) {
            String answer = shell.run("printf 'x' | " + CURL + "-X PUT --data-binary @- -w ' %{http_code}'"
                    + " \"$CHASER_API_URL/v1/sessions/$SID/upload?path=" + java.net.URLEncoder.encode(path, "UTF-8")
                    + "\" || true");
            assertEquals("path_not_allowed 400", code(answer), path + ": " + answer);
        }
        String missing = shell.run("printf 'x' | " + CURL + "-X PUT --data-binary @- -w ' %{http_code}'"
                + " \"$CHASER_API_URL/v1/sessions/$SID/upload\" || true");
        assertEquals("invalid_request 400", code(missing), missing);
        String elsewhere = shell.run("printf 'x' | " + CURL + "-X PUT --data-binary @- -w ' %{http_code}'"
                + " \"$CHASER_API_URL/v1/sessions/" + java.util.UUID.randomUUID() + "/upload?path=x\" || true");
        assertEquals("session_not_found 404", code(elsewhere), elsewhere);
        assertEquals(hostPasswd, java.nio.file.Files.readString(java.nio.file.Path.of("/etc/passwd")),
                "the host's /etc/passwd is untouched");
    }

    /** "code status" of an answer printed as body then " status". */
    private static String code(String answer) throws Exception {
        int split = answer.lastIndexOf(' ');
        JsonNode body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.substring(0, split));
        return body.path("error").path("code").asText() + answer.substring(split);
    }
}
