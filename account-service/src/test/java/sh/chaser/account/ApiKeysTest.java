package sh.chaser.account;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.net.URL;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sh.chaser.proto.account.v1.AccountAuthGrpc;
import sh.chaser.proto.account.v1.AuthenticateRequest;
import sh.chaser.proto.account.v1.AuthenticateResponse;
import sh.chaser.testkit.ServiceDatabase;
import sh.chaser.testkit.ServiceEndpoints;
import sh.chaser.testkit.ServiceInfraResource;
import sh.chaser.testkit.TestTokens;

@QuarkusTest
@QuarkusTestResource(value = ServiceInfraResource.class, initArgs = @ResourceArg(name = "database", value = "chaser_account"))
class ApiKeysTest {

    @TestHTTPResource("/")
    URL base;

    ManagedChannel channel;
    AccountAuthGrpc.AccountAuthBlockingStub auth;
    AuthenticateResponse admin;

    @BeforeEach
    void connect() throws Exception {
        channel = ServiceEndpoints.grpcChannel(base);
        auth = AccountAuthGrpc.newBlockingStub(channel);
        admin = auth.authenticate(AuthenticateRequest.newBuilder()
                .setToken(TestUsers.bootstrapCredentials().getProperty("CHASER_API_KEY")).build());
    }

    @AfterEach
    void close() {
        channel.shutdownNow();
    }

    private RequestSpecification as(List<String> scopes) {
        String token = TestTokens.user(UUID.fromString(admin.getPrincipalId()),
                UUID.fromString(admin.getAccount().getId()),
                "owner", scopes, null);
        return given().header("Authorization", "Bearer " + token).header("X-Request-Id", "req-1")
                .contentType("application/json");
    }

    @Test
    void withoutTheGatewaysTokenNothingIsServed() {
        given().get("/v1/accounts/current").then().statusCode(401).body("error.code", equalTo("unauthorized"));
        given().header("Authorization", "Bearer not.a.jwt").get("/v1/api-keys").then().statusCode(401)
                .body("error.code", equalTo("unauthorized"));
    }

    @Test
    void currentAccountAndListOfAccounts() {
        as(List.of()).get("/v1/accounts/current").then().statusCode(200)
                .body("id", equalTo(admin.getAccount().getId()))
                .body("type", equalTo("personal"))
                .body("role", equalTo("owner"));
        as(List.of()).get("/v1/accounts").then().statusCode(200)
                .body("data.id", hasItem(admin.getAccount().getId()))
                .body("next_cursor", nullValue());
    }

    @Test
    void aKeyIsShownOnceWorksAndStopsWorkingWhenRevoked() throws Exception {
        var created = as(List.of()).body("{\"name\":\"ci\",\"scopes\":[\"sessions.read\",\"workspaces.read\"]}")
                .post("/v1/api-keys").then().statusCode(201)
                .body("name", equalTo("ci"))
                .body("full_access", equalTo(false))
                .extract().jsonPath();
        String secret = created.getString("key");
        String id = created.getString("id");
        assertEquals(secret.substring(0, 11), created.getString("key_prefix"));

        as(List.of()).get("/v1/api-keys").then().statusCode(200)
                .body("data.id", hasItem(id))
                .body("data.key", not(hasItem(secret)));
        assertFalse(ServiceDatabase.dump("api_keys").contains(secret));

        var principal = auth.authenticate(AuthenticateRequest.newBuilder().setToken(secret).build());
        assertEquals(List.of("sessions.read", "workspaces.read"), principal.getScopesList());

        as(List.of()).delete("/v1/api-keys/" + id).then().statusCode(204);
        var e = assertThrows(StatusRuntimeException.class,
                () -> auth.authenticate(AuthenticateRequest.newBuilder().setToken(secret).build()));
        assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
        as(List.of()).delete("/v1/api-keys/" + id).then().statusCode(404).body("error.code",
                equalTo("api_key_not_found"));
    }

    @Test
    void unknownScopesAndEscalationAreRefused() {
        as(List.of()).body("{\"scopes\":[\"root\"]}").post("/v1/api-keys").then().statusCode(400)
                .body("error.code", equalTo("invalid_request"))
                .body("error.field", equalTo("scopes"))
                .body("error.request_id", equalTo("req-1"));
        as(List.of("keys.write")).body("{}").post("/v1/api-keys").then().statusCode(403)
                .body("error.code", equalTo("insufficient_scope"));
        as(List.of("keys.write")).body("{\"scopes\":[\"sessions.write\"]}").post("/v1/api-keys").then().statusCode(403)
                .body("error.code", equalTo("insufficient_scope"));
        as(List.of("keys.write", "sessions.read")).body("{\"scopes\":[\"sessions.read\"]}").post("/v1/api-keys").then()
                .statusCode(201);
    }

    @Test
    void keysOfOtherAccountsAreInvisible() {
        String stranger = TestTokens.user(UUID.randomUUID(), UUID.randomUUID(), "owner", List.of(), null);
        String id = as(List.of()).body("{}").post("/v1/api-keys").then().statusCode(201).extract().path("id");
        given().header("Authorization", "Bearer " + stranger).delete("/v1/api-keys/" + id).then().statusCode(404)
                .body("error.code", equalTo("api_key_not_found"));
        as(List.of()).delete("/v1/api-keys/not-a-uuid").then().statusCode(404);
    }
}
