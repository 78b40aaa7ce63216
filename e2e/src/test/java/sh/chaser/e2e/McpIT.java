package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code POST /v1/mcp} as agents use it: the official MCP TypeScript SDK over Streamable HTTP, and a
 * bare {@code tools/call} from curl; scopes and accounts hold for every tool, as for the API.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpIT {

    private Api api;
    private String orgKey;
    private String adminKey;
    private McpSdkClient sdk;

    @BeforeAll
    void up() throws Exception {
        LocalPlatform platform = SharedPlatform.get();
        api = new Api(platform.apiUrl());
        adminKey = SharedPlatform.credentials().get("CHASER_API_KEY");
        orgKey = Accounts.organizationKey(api, SharedPlatform.credentials());
        sdk = new McpSdkClient(300);
    }

    @AfterAll
    void down() throws Exception {
        api.call("POST", "/v1/sessions/bulk-terminate", orgKey, null, "{\"all\":true,\"force\":true}");
    }

    @Test
    void anAgentWithTheOfficialSdkRunsCommandsInOneSandboxWritesFilesAndReadsAPage() throws Exception {
        JsonNode out = sdk.run(api.baseUrl(), orgKey, "agent");

        assertEquals("chaser", out.path("server").path("name").asText(), out.toString());
        for (String tool : List.of("terminal", "read_file", "write_file", "apply_edit", "list_files", "browser",
                "chaser_list_sessions", "chaser_get_session", "chaser_create_sandbox_session",
                "chaser_terminate_session", "chaser_list_workspaces", "chaser_create_workspace",
                "chaser_snapshot_workspace", "chaser_restore_workspace")) {
            assertTrue(out.path("tools").toString().contains("\"" + tool + "\""), tool + " missing: " + out);
        }
        JsonNode first = out.path("first").path("structured");
        assertFalse(out.path("first").path("isError").asBoolean(), out.toString());
        assertEquals(0, first.path("exit_code").asInt(-1), out.toString());
        assertEquals("first\n", first.path("output").asText());
        String session = first.path("session_id").asText();
        assertFalse(first.path("workspace_id").isNull(), "the provisioned sandbox names its workspace: " + out);
        JsonNode second = out.path("second").path("structured");
        assertEquals(session, second.path("session_id").asText(), "the second call ran in the same sandbox");
        assertTrue(second.path("output").asText().matches("\\d+\\nsecond\\n"),
                "the second call read what the first left in /tmp: " + second);

        assertFalse(out.path("write").path("isError").asBoolean(), out.path("write").toString());
        assertEquals("written over MCP\n", out.path("read").path("structured").path("content").asText());

        assertEquals("MCP page", out.path("navigate").path("structured").path("title").asText(), out.toString());
        assertEquals("Hello from a data page", out.path("text").path("structured").path("text").asText());
        assertEquals("[\"text\",\"image\"]", out.path("screenshot").path("types").toString());
    }

    @Test
    void aBareToolsCallFromCurlWorksWithoutInitializeOrAnAcceptHeader() throws Exception {
        var shell = new Shell(Map.of("CHASER_API_URL", api.baseUrl(), "CHASER_API_KEY", orgKey));
        String message = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":"
                + "\"terminal\",\"arguments\":{\"ephemeral\":true,\"command\":\"echo bare\"}}}";
        JsonNode answer = shell
                .json("curl -sS --fail-with-body -H 'Accept:' -H \"Authorization: Bearer $CHASER_API_KEY\""
                        + " -H 'Content-Type: application/json' \"$CHASER_API_URL/v1/mcp\" -d '" + message + "'");
        assertEquals(7, answer.path("id").asInt(), answer.toString());
        JsonNode result = answer.path("result").path("structuredContent");
        assertEquals("bare\n", result.path("output").asText(), answer.toString());
        assertTrue(result.path("workspace_id").isNull(), "an ephemeral sandbox has no workspace: " + answer);
    }

    @Test
    void aKeyWithoutExecWriteCannotRunTerminalWhileAFullKeyCanInTheSameSandbox() throws Exception {
        String session = call(orgKey, "terminal", "{\"command\":\"true\"}").path("structuredContent")
                .path("session_id").asText();
        var created = api.call("POST", "/v1/api-keys", orgKey, null, "{\"name\":\"no-exec\",\"scopes\":"
                + "[\"sessions.read\",\"sessions.write\",\"workspaces.read\",\"workspaces.write\"]}");
        assertEquals(201, created.status(), created.body().toString());
        String noExec = created.body().get("key").asText();

        JsonNode refused = sdk.run(api.baseUrl(), noExec, "terminal", session).path("terminal");
        assertTrue(refused.path("isError").asBoolean(), refused.toString());
        assertEquals("insufficient_scope", refused.path("structured").path("error").path("code").asText());
        assertTrue(refused.path("text").asText().contains("exec.write"), refused.toString());

        JsonNode control = sdk.run(api.baseUrl(), orgKey, "terminal", session).path("terminal");
        assertFalse(control.path("isError").asBoolean(), control.toString());
        assertEquals("ran\n", control.path("structured").path("output").asText());
    }

    @Test
    void toolArgumentsReachNeitherOtherRoutesNorAnotherAccountsSession() throws Exception {
        String session = call(orgKey, "terminal", "{\"command\":\"true\"}").path("structuredContent")
                .path("session_id").asText();
        JsonNode own = call(orgKey, "chaser_get_session", "{\"session_id\":\"" + session + "\"}");
        assertEquals("running", own.path("structuredContent").path("status").asText(), "control: " + own);

        for (String trick : List.of("../../api-keys", "..", "%2e%2e", session + "/../..", session + "?x=1")) {
            JsonNode r = call(orgKey, "chaser_get_session", "{\"session_id\":\"" + trick + "\"}");
            assertTrue(r.path("isError").asBoolean(), trick + ": " + r);
            assertEquals("invalid_request", r.path("structuredContent").path("error").path("code").asText(), trick);
        }
        JsonNode other = call(adminKey, "chaser_get_session", "{\"session_id\":\"" + session + "\"}");
        assertEquals("session_not_found", other.path("structuredContent").path("error").path("code").asText(),
                "another account's session is invisible: " + other);
        JsonNode exec = call(adminKey, "terminal", "{\"session_id\":\"" + session + "\",\"command\":\"id\"}");
        assertEquals("session_not_found", exec.path("structuredContent").path("error").path("code").asText(),
                exec.toString());
    }

    /** A bare tools/call; its JSON-RPC result. */
    private JsonNode call(String key, String tool, String arguments) throws Exception {
        var r = api.call("POST", "/v1/mcp", key, null, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\","
                + "\"params\":{\"name\":\"" + tool + "\",\"arguments\":" + arguments + "}}");
        assertEquals(200, r.status(), r.body().toString());
        return r.body().path("result");
    }
}
