package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Default workspaces (PUT|GET|DELETE /v1/workspaces/default): POST /v1/exec and MCP's terminal run in
 * the account's default sandbox workspace when none is named; without one, exec is ephemeral again.
 */
@PlatformHost
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DefaultWorkspacesIT {

    private Api api;
    private String key;

    @BeforeAll
    void platform() throws Exception {
        api = new Api(SharedPlatform.get().apiUrl());
        key = Accounts.organizationKey(api, SharedPlatform.credentials());
    }

    @Test
    void execAndMcpRunInTheDefaultWorkspaceUntilItIsCleared() throws Exception {
        Sessions sessions = new Sessions(api, key);
        String workspace = sessions.workspace("sandbox");
        String marker = UUID.randomUUID().toString();
        var wrote = api.call("POST", "/v1/exec", key, null, "{\"workspace\":\"" + workspace
                + "\",\"command\":\"echo " + marker + " > marker\"}");
        assertEquals(200, wrote.status(), wrote.body().toString());

        // the control first: with no default, exec naming nothing is ephemeral and sees no marker
        assertTrue(!readMarker().contains(marker));
        var set = api.call("PUT", "/v1/workspaces/default", key, null,
                "{\"session_type\":\"sandbox\",\"workspace\":\"" + workspace + "\"}");
        assertEquals(200, set.status(), set.body().toString());
        assertEquals(workspace, set.body().get("workspace").get("name").asText());
        JsonNode listed = api.get("/v1/workspaces/default", key).body().get("data");
        assertEquals(1, listed.size(), listed.toString());
        assertEquals("sandbox", listed.get(0).get("session_type").asText());

        var exec = api.call("POST", "/v1/exec", key, null, "{\"command\":\"cat marker\"}");
        assertEquals(200, exec.status(), exec.body().toString());
        assertEquals(marker + "\n", exec.body().get("output").asText(), "exec ran in the default workspace");
        var mcp = api.call("POST", "/v1/mcp", key, null, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\","
                + "\"params\":{\"name\":\"terminal\",\"arguments\":{\"command\":\"cat marker\"}}}");
        assertEquals(200, mcp.status(), mcp.body().toString());
        assertTrue(mcp.body().toString().contains(marker), "MCP's terminal ran there too: " + mcp.body());
        var ephemeral = api.call("POST", "/v1/exec", key, null, "{\"ephemeral\":true,\"command\":\"cat marker\"}");
        assertEquals(200, ephemeral.status());
        assertTrue(!ephemeral.body().get("output").asText().contains(marker), "ephemeral: true still is");

        assertEquals(204, api.call("DELETE", "/v1/workspaces/default?session_type=sandbox", key, null, null).status());
        assertEquals(0, api.get("/v1/workspaces/default", key).body().get("data").size());
        assertTrue(!readMarker().contains(marker), "no default: ephemeral again");
    }

    @Test
    void aDefaultMustBeTheCallersWorkspaceOfThatTypeAndDiesWithIt() throws Exception {
        Sessions sessions = new Sessions(api, key);
        String browser = sessions.workspace("browser");
        var mismatch = api.call("PUT", "/v1/workspaces/default", key, null,
                "{\"session_type\":\"sandbox\",\"workspace\":\"" + browser + "\"}");
        assertEquals(409, mismatch.status(), mismatch.body().toString());
        assertEquals("session_type_mismatch", Sessions.code(mismatch));

        String theirs = new Sessions(api, Accounts.organizationKey(api, SharedPlatform.credentials()))
                .workspace("sandbox");
        var foreign = api.call("PUT", "/v1/workspaces/default", key, null,
                "{\"session_type\":\"sandbox\",\"workspace\":\"" + theirs + "\"}");
        assertEquals(404, foreign.status(), "another account's workspace is not found: " + foreign.body());
        assertEquals("workspace_not_found", Sessions.code(foreign));

        var reserved = api.call("POST", "/v1/workspaces", key, null,
                "{\"session_type\":\"sandbox\",\"name\":\"Default\"}");
        assertEquals(400, reserved.status(), reserved.body().toString());
        assertEquals("name", reserved.body().get("error").get("field").asText());

        assertEquals(200, api.call("PUT", "/v1/workspaces/default", key, null,
                "{\"session_type\":\"browser\",\"workspace\":\"" + browser + "\"}").status());
        assertEquals(1, api.get("/v1/workspaces/default?session_type=browser", key).body().get("data").size());
        assertEquals(204, api.call("DELETE", "/v1/workspaces/" + browser, key, null, null).status());
        assertEquals(0, api.get("/v1/workspaces/default?session_type=browser", key).body().get("data").size(),
                "a deleted workspace is nobody's default");
    }

    private String readMarker() throws Exception {
        var r = api.call("POST", "/v1/exec", key, null, "{\"command\":\"cat marker 2>/dev/null; true\"}");
        assertEquals(200, r.status(), r.body().toString());
        return r.body().get("output").asText();
    }
}
