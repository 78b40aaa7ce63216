package sh.chaser.session.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import sh.chaser.common.api.ServiceException;

/** Each kind's input is checked against the schema GET /v1/jobs/kinds shows. */
class JobKindsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String refusedField(String kind, String input) throws Exception {
        JsonNode node = JSON.readTree(input);
        var e = assertThrows(ServiceException.class, () -> JobKinds.check(JobKinds.of(kind), node), input);
        assertEquals("invalid_request", e.code().code());
        return e.field();
    }

    private static void admitted(String kind, String input) throws Exception {
        JobKinds.check(JobKinds.of(kind), JSON.readTree(input));
    }

    @Test
    void theEightKindsOfTheIssue() {
        assertEquals(List.of("sandbox.exec", "pipeline.run", "browser.scrape", "browser.action", "session.terminate",
                "session.bulk_terminate", "workspace.delete", "workspace.bulk_delete"),
                JobKinds.all().stream().map(JobKinds.Kind::name).toList());
        assertEquals("kind", assertThrows(ServiceException.class, () -> JobKinds.of("rm.rf")).field());
    }

    @Test
    void inputAgainstItsSchema() throws Exception {
        admitted("pipeline.run", "{\"workspace\":\"w\",\"steps\":[{\"command\":\"make\",\"timeout_ms\":1000}]}");
        assertEquals("input.steps", refusedField("pipeline.run", "{\"steps\":[]}"));
        assertEquals("input.steps[0].command", refusedField("pipeline.run", "{\"steps\":[{\"command\":\"\"}]}"));
        assertEquals("input.steps[0].timeout_ms",
                refusedField("pipeline.run", "{\"steps\":[{\"command\":\"x\",\"timeout_ms\":600001}]}"));
        assertEquals("input.steps[0].shell",
                refusedField("pipeline.run", "{\"steps\":[{\"command\":\"x\",\"shell\":\"zsh\"}]}"));
        assertEquals("input.command", refusedField("sandbox.exec", "{}"));
        assertEquals("input.env.A", refusedField("sandbox.exec", "{\"command\":\"x\",\"env\":{\"A\":1}}"));
        admitted("browser.scrape", "{\"url\":\"https://example.com\",\"screenshot\":true}");
        assertEquals("input.url", refusedField("browser.scrape", "{\"url\":\"file:///etc/passwd\"}"));
        assertEquals("input.session_id", refusedField("session.terminate", "{\"session_id\":\"nope\"}"));
        assertEquals("input.session_type", refusedField("session.bulk_terminate", "{\"session_type\":\"vm\"}"));
        assertEquals("input.workspaces", refusedField("workspace.bulk_delete", "{\"workspaces\":\"w\"}"));
        assertEquals("input.calls[0].params",
                refusedField("browser.action", "{\"calls\":[{\"method\":\"Page.reload\",\"params\":[]}]}"));
    }

    @Test
    void everyKindNamesTheScopesItNeeds() {
        for (var kind : JobKinds.all()) {
            assertTrue(!kind.scopes().isEmpty() && sh.chaser.contracts.Scopes.ALL.containsAll(kind.scopes()),
                    kind.name() + " " + kind.scopes());
        }
    }
}
