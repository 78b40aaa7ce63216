package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import sh.chaser.gateway.domain.Route;
import sh.chaser.gateway.domain.RouteTable;

/**
 * The contract the platform serves ({@code /api-docs/openapi.json}, Swagger UI at {@code /swagger-ui}):
 * valid OpenAPI 3.1 by a maintained parser, every route of the gateway's table in it with the scope
 * the gateway checks, and real answers of the running platform in the shapes it declares.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContractIT {

    private Api api;
    private JsonNode spec;
    private String raw;
    private Contract contract;
    private String key;

    @BeforeAll
    void up() throws Exception {
        api = new Api(SharedPlatform.get().apiUrl());
        var served = api.get("/api-docs/openapi.json", null);
        assertEquals(200, served.status(), "the contract is open: " + served.body());
        spec = served.body();
        raw = spec.toString();
        contract = new Contract(spec);
        key = Accounts.organizationKey(api, SharedPlatform.credentials());
    }

    @Test
    void theDocumentIsValidOpenApi31AndSwaggerUiServesIt() throws Exception {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        var parsed = new OpenAPIV3Parser().readContents(raw, null, options);
        assertTrue(parsed.getMessages().isEmpty(), "the parser's findings: " + parsed.getMessages());
        assertEquals("3.1.0", parsed.getOpenAPI().getOpenapi());
        var http = java.net.http.HttpClient.newHttpClient();
        var ui = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(api.baseUrl() + "/swagger-ui/"))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ui.statusCode());
        var config = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(api.baseUrl()
                + "/swagger-ui/index.html")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertTrue(ui.body().contains("/api-docs/openapi.json") || config.body().contains("/api-docs/openapi.json"),
                "Swagger UI reads the assembled contract");
    }

    @Test
    void everyRouteOfTheGatewayIsInTheContractWithTheScopeTheGatewayChecks() {
        List<String> wrong = new ArrayList<>();
        assertEquals(0, spec.path("x-chaser-undocumented").size(),
                "undocumented: " + spec.path("x-chaser-undocumented"));
        for (Route route : RouteTable.ROUTES) {
            String path = route.template().endsWith("/**")
                    ? route.template().substring(0, route.template().length() - 3) + "/{path}"
                    : route.template();
            String method = route.method().equals(Route.ANY_METHOD) ? "get" : route.method().toLowerCase(Locale.ROOT);
            JsonNode op = contract.operation(method, path);
            if (op.isMissingNode()) {
                wrong.add(route.method() + " " + route.template() + ": missing");
                continue;
            }
            String scope = op.path("x-chaser-scope").isMissingNode() ? null : op.path("x-chaser-scope").asText();
            if (!java.util.Objects.equals(scope, route.scope())) {
                wrong.add(route.method() + " " + route.template() + ": scope " + scope + ", the gateway checks "
                        + route.scope());
            }
            if (op.path("security").isEmpty() != route.open()) {
                wrong.add(route.method() + " " + route.template() + ": security " + op.path("security"));
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void answersOfTheRunningPlatformHaveTheDeclaredShapes() throws Exception {
        List<String> wrong = new ArrayList<>();
        String ws = "contract-" + UUID.randomUUID().toString().substring(0, 8);
        check(wrong, "GET", "/v1/accounts", "/v1/accounts", null);
        check(wrong, "GET", "/v1/accounts/current", "/v1/accounts/current", null);
        check(wrong, "GET", "/v1/accounts/current/members", "/v1/accounts/current/members", null);
        var created = check(wrong, "POST", "/v1/api-keys", "/v1/api-keys", "{\"name\":\"contract\"}");
        check(wrong, "GET", "/v1/api-keys", "/v1/api-keys", null);
        check(wrong, "DELETE", "/v1/api-keys/{id}", "/v1/api-keys/" + created.body().path("id").asText(), null);
        check(wrong, "POST", "/v1/workspaces", "/v1/workspaces",
                "{\"session_type\":\"sandbox\",\"name\":\"" + ws + "\"}");
        check(wrong, "GET", "/v1/workspaces", "/v1/workspaces", null);
        check(wrong, "GET", "/v1/workspaces/{workspace}", "/v1/workspaces/" + ws, null);
        check(wrong, "POST", "/v1/workspaces/{workspace}/snapshots", "/v1/workspaces/" + ws + "/snapshots",
                "{\"name\":\"s1\"}");
        check(wrong, "GET", "/v1/workspaces/{workspace}/snapshots", "/v1/workspaces/" + ws + "/snapshots", null);
        check(wrong, "DELETE", "/v1/workspaces/{workspace}/snapshots/{name}", "/v1/workspaces/" + ws + "/snapshots/s1",
                null);
        var session = check(wrong, "POST", "/v1/sessions", "/v1/sessions",
                "{\"session_type\":\"sandbox\",\"workspace\":\"" + ws + "\"}");
        String id = session.body().path("id").asText();
        check(wrong, "GET", "/v1/sessions", "/v1/sessions", null);
        check(wrong, "GET", "/v1/sessions/{id}", "/v1/sessions/" + id, null);
        check(wrong, "POST", "/v1/sessions/{id}/exec", "/v1/sessions/" + id + "/exec", "{\"command\":\"echo hi\"}");
        check(wrong, "GET", "/v1/sessions/{id}/commands", "/v1/sessions/" + id + "/commands", null);
        check(wrong, "POST", "/v1/sessions/{id}/connect-token", "/v1/sessions/" + id + "/connect-token", "{}");
        check(wrong, "DELETE", "/v1/sessions/{id}", "/v1/sessions/" + id, null);
        check(wrong, "GET", "/v1/sessions/{id}", "/v1/sessions/" + UUID.randomUUID(), null);
        check(wrong, "POST", "/v1/workspaces", "/v1/workspaces", "{\"session_type\":\"neither\"}");
        check(wrong, "DELETE", "/v1/workspaces/{workspace}", "/v1/workspaces/" + ws, null);
        var hook = check(wrong, "POST", "/v1/webhooks", "/v1/webhooks",
                "{\"url\":\"http://127.0.0.1:9/hook\",\"events\":[\"*\"]}");
        check(wrong, "GET", "/v1/webhooks", "/v1/webhooks", null);
        check(wrong, "GET", "/v1/webhooks/{id}/deliveries", "/v1/webhooks/" + hook.body().path("id").asText()
                + "/deliveries", null);
        check(wrong, "DELETE", "/v1/webhooks/{id}", "/v1/webhooks/" + hook.body().path("id").asText(), null);
        check(wrong, "GET", "/v1/billing/summary", "/v1/billing/summary", null);
        check(wrong, "GET", "/v1/audit/events", "/v1/audit/events", null);
        check(wrong, "GET", "/v1/auth/jwks", "/v1/auth/jwks", null);
        assertTrue(wrong.isEmpty(), wrong.size() + " answers not as declared:\n" + String.join("\n", wrong));
    }

    @Test
    void theJudgeSeesAShapeTheContractDoesNotDeclare() {
        var forged = new Api.Reply(200, spec.path("components"), "r");
        assertTrue(contract.judge("GET", "/v1/sessions/{id}", forged) != null, "control: a wrong body is seen");
        var undeclared = new Api.Reply(299, null, "r");
        assertTrue(contract.judge("GET", "/v1/sessions/{id}", undeclared) != null, "control: a wrong status is seen");
    }

    private Api.Reply check(List<String> wrong, String method, String template, String path, String body)
            throws Exception {
        var reply = api.call(method, path, key, null, body);
        String problem = contract.judge(method, template, reply);
        if (problem != null) {
            wrong.add(problem);
        }
        return reply;
    }
}
