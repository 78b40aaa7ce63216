package sh.chaser.gateway.api.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import sh.chaser.gateway.domain.Backend;
import sh.chaser.gateway.domain.Route;

/** How the services' documents and the gateway's become the contract. */
class ContractMergeTest {

    private static final JsonObject GATEWAY = new JsonObject("""
            {"openapi": "3.1.0", "components": {"schemas": {}}, "paths": {}}""");
    private static final JsonObject SESSIONS = new JsonObject("""
            {"paths": {
               "/v1/sessions/{sid}": {"get": {"parameters": [{"name": "sid", "in": "path"}], "tags": ["x"],
                 "responses": {
                   "200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/View"}}}},
                   "401": {"description": "Not Authorized"}}}},
               "/v1/sessions": {"post": {"requestBody": {"content": {"application/json": {"schema":
                   {"$ref": "#/components/schemas/Create"}}}},
                 "responses": {
                   "201": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/View"}}}}}}}},
             "components": {"schemas": {
               "View": {"type": "object", "properties": {"id": {"type": "string"},
                 "inner": {"$ref": "#/components/schemas/Inner"}}},
               "Inner": {"type": "object", "properties": {"n": {"type": "integer"}}},
               "Create": {"type": "object", "properties": {"name": {"type": "string"}}}}}}""");

    private static final List<Route> ROUTES = List.of(new Route("GET", "/v1/sessions/{id}", Backend.SESSION,
            "sessions.read", false), new Route("POST", "/v1/sessions", Backend.SESSION, "sessions.write", false),
            new Route("DELETE", "/v1/sessions/{id}", Backend.SESSION, "sessions.write", false));

    private final JsonObject merged = ContractMerge.merge(GATEWAY, Map.of(Backend.SESSION, SESSIONS), ROUTES);

    @Test
    void eachRouteGetsItsOperationWithScopeSecurityAndTheErrorEnvelope() {
        JsonObject get = merged.getJsonObject("paths").getJsonObject("/v1/sessions/{id}").getJsonObject("get");
        assertEquals("sessions.read", get.getString(ContractMerge.SCOPE));
        assertEquals("[{\"bearer\":[]}]", get.getJsonArray("security").encode());
        assertEquals("id", get.getJsonArray("parameters").getJsonObject(0).getString("name"),
                "named as the route names it");
        assertFalse(get.getJsonObject("responses").containsKey("401"), "a bodiless generated refusal is dropped");
        assertEquals("#/components/responses/Error",
                get.getJsonObject("responses").getJsonObject("default").getString("$ref"));
    }

    @Test
    void aMutationTakesAnIdempotencyKeyAReadDoesNot() {
        JsonObject post = merged.getJsonObject("paths").getJsonObject("/v1/sessions").getJsonObject("post");
        assertEquals("Idempotency-Key", post.getJsonArray("parameters").getJsonObject(0).getString("name"));
        assertEquals("header", post.getJsonArray("parameters").getJsonObject(0).getString("in"));
        JsonObject get = merged.getJsonObject("paths").getJsonObject("/v1/sessions/{id}").getJsonObject("get");
        assertEquals(1, get.getJsonArray("parameters").size(), "only the path's id");
    }

    @Test
    void aRouteNoDocumentDeclaresIsNamed() {
        assertEquals(List.of("DELETE /v1/sessions/{id}"), merged.getJsonArray(ContractMerge.UNDOCUMENTED).getList());
        assertFalse(merged.getJsonObject("paths").getJsonObject("/v1/sessions/{id}").containsKey("delete"));
    }

    @Test
    void answersAreExactShapesAndRequestsStayOpen() {
        JsonObject schemas = merged.getJsonObject("components").getJsonObject("schemas");
        JsonObject view = schemas.getJsonObject("View");
        assertEquals(List.of("id", "inner"), view.getJsonArray("required").getList());
        assertEquals(false, view.getValue("additionalProperties"));
        assertEquals("[\"string\",\"null\"]", view.getJsonObject("properties").getJsonObject("id")
                .getJsonArray("type").encode());
        assertTrue(view.getJsonObject("properties").getJsonObject("inner").containsKey("anyOf"));
        assertEquals(List.of("n"), schemas.getJsonObject("Inner").getJsonArray("required").getList(),
                "reached through another answer's schema");
        assertFalse(schemas.getJsonObject("Create").containsKey("required"), "a request's schema is not tightened");
    }

    @Test
    void aCatchAllRouteIsOnePathParameter() {
        assertEquals("/v1/sessions/{id}/forward/{port}/{path}",
                ContractMerge.specPath("/v1/sessions/{id}/forward/{port}/**"));
    }
}
