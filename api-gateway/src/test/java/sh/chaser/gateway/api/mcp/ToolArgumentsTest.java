package sh.chaser.gateway.api.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How tool arguments become API paths, queries, bodies and shell words: nothing in them escapes its place. */
class ToolArgumentsTest {

    private final ApiTool restore = LifecycleTools.ALL.stream().filter(t -> t.name().equals("chaser_restore_workspace"))
            .findFirst().orElseThrow();

    @Test
    void namesAndIdsFillThePathAndTheRestGoesToTheBody() {
        var args = Map.<String, Object>of("workspace", "my-project.v2", "name", "before_upgrade", "force", true);
        assertEquals("/v1/workspaces/my-project.v2/snapshots/before_upgrade/restore", restore.uri(new Args(args)));
        assertEquals(Map.of("force", true), restore.body(args).getMap());
    }

    @Test
    void aPathArgumentThatIsNotOneSegmentIsRefused() {
        for (String trick : List.of("..", ".", "../accounts", "a/b", "%2e%2e", "x?y=1", "x#y", "", " a", ".hidden")) {
            var failure = assertThrows(ToolFailure.class,
                    () -> restore.uri(new Args(Map.of("workspace", trick, "name", "s"))), trick);
            assertEquals("invalid_request", failure.code());
        }
    }

    @Test
    void queryArgumentsAreEncoded() {
        var list = new ApiTool("t", "d", HttpMethod.GET, "/v1/sessions", List.of("workspace", "limit"), Map.of(),
                Map.of());
        assertEquals("/v1/sessions?workspace=a%26status%3Drunning&limit=5",
                list.uri(new Args(Map.of("workspace", "a&status=running", "limit", 5))));
    }

    @Test
    void aQuotedShellWordStaysOneWord() {
        assertEquals("'it'\\''s; rm -rf /'", SandboxFiles.quote("it's; rm -rf /"));
    }

    @Test
    void occurrencesDoNotOverlap() {
        assertEquals(2, SandboxFiles.occurrences("aaaa", "aa"));
        assertEquals(0, SandboxFiles.occurrences("abc", "x"));
    }

    @Test
    void argumentsOfTheWrongTypeAreRefused() {
        var args = new Args(Map.of("command", 5, "timeout_ms", 1.5, "ephemeral", "yes"));
        assertEquals("invalid_request", assertThrows(ToolFailure.class, () -> args.string("command")).code());
        assertEquals("invalid_request", assertThrows(ToolFailure.class, () -> args.integer("timeout_ms")).code());
        assertEquals("invalid_request", assertThrows(ToolFailure.class, () -> args.bool("ephemeral")).code());
    }
}
