package sh.chaser.account;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sh.chaser.proto.account.v1.AccountAuthGrpc;
import sh.chaser.proto.account.v1.AuthenticateRequest;
import sh.chaser.proto.account.v1.PrincipalType;
import sh.chaser.testkit.ServiceEndpoints;
import sh.chaser.testkit.ServiceInfraResource;

@QuarkusTest
@QuarkusTestResource(value = ServiceInfraResource.class, initArgs = @ResourceArg(name = "database", value = "chaser_account"))
class ServiceAccountsTest {

    @TestHTTPResource("/")
    URL base;
    ManagedChannel channel;
    AccountAuthGrpc.AccountAuthBlockingStub auth;
    UUID owner;
    UUID personal;
    UUID org;

    @BeforeEach
    void anOrganization() {
        channel = ServiceEndpoints.grpcChannel(base);
        auth = AccountAuthGrpc.newBlockingStub(channel);
        owner = UUID.fromString(TestUsers.create("sa-owner-" + UUID.randomUUID() + "@example.com"));
        personal = UUID.fromString(TestUsers.personalAccount(owner));
        org = UUID.fromString(
                MembersTest.as(owner, personal, "owner").body("{\"name\":\"SA Org " + UUID.randomUUID() + "\"}")
                        .post("/v1/accounts/organizations").then().statusCode(201).extract().path("id"));
    }

    @AfterEach
    void close() {
        channel.shutdownNow();
    }

    @Test
    void aServiceAccountsKeyActsInTheOrganizationUntilDisabled() {
        String sa = MembersTest.as(owner, org, "owner").body("{\"name\":\"deployer\"}")
                .post("/v1/accounts/current/service-accounts").then().statusCode(201)
                .body("disabled", equalTo(false)).extract().path("id");
        var key = MembersTest.as(owner, org, "owner").body("{\"scopes\":[\"sessions.write\"]}")
                .post("/v1/accounts/current/service-accounts/" + sa + "/keys").then().statusCode(201)
                .body("service_account", equalTo(sa)).body("full_access", equalTo(false)).extract().jsonPath();
        String secret = key.getString("key");

        var principal = auth.authenticate(AuthenticateRequest.newBuilder().setToken(secret).build());
        assertEquals(PrincipalType.PRINCIPAL_TYPE_SERVICE_ACCOUNT, principal.getPrincipalType());
        assertEquals(sa, principal.getPrincipalId());
        assertEquals(org.toString(), principal.getAccount().getId());
        assertEquals("member", principal.getRole());
        assertEquals(List.of("sessions.write"), principal.getScopesList());

        MembersTest.as(owner, org, "owner").body("{\"disabled\":true}")
                .patch("/v1/accounts/current/service-accounts/" + sa)
                .then().statusCode(200).body("disabled", equalTo(true));
        var refused = assertThrows(StatusRuntimeException.class,
                () -> auth.authenticate(AuthenticateRequest.newBuilder().setToken(secret).build()));
        assertEquals(Status.Code.UNAUTHENTICATED, refused.getStatus().getCode());

        MembersTest.as(owner, org, "owner").body("{\"disabled\":false}")
                .patch("/v1/accounts/current/service-accounts/" + sa)
                .then().statusCode(200);
        auth.authenticate(AuthenticateRequest.newBuilder().setToken(secret).build());

        MembersTest.as(owner, org, "owner").get("/v1/accounts/current/service-accounts/" + sa + "/keys").then()
                .statusCode(200).body("data.id", hasItem(key.getString("id")));
        MembersTest.as(owner, org, "owner").delete("/v1/accounts/current/service-accounts/" + sa).then()
                .statusCode(204);
        assertThrows(StatusRuntimeException.class,
                () -> auth.authenticate(AuthenticateRequest.newBuilder().setToken(secret).build()));
        MembersTest.as(owner, org, "owner").get("/v1/accounts/current/service-accounts/" + sa + "/keys").then()
                .statusCode(404).body("error.code", equalTo("service_account_not_found"));
    }

    @Test
    void onlyOwnersAndAdminsOfOrganizationsManageThem() {
        UUID member = UUID.randomUUID();
        MembersTest.as(member, org, "member").get("/v1/accounts/current/service-accounts").then().statusCode(403);
        MembersTest.as(member, org, "member").body("{\"name\":\"x\"}").post("/v1/accounts/current/service-accounts")
                .then().statusCode(403);
        MembersTest.as(owner, personal, "owner").body("{\"name\":\"x\"}").post("/v1/accounts/current/service-accounts")
                .then().statusCode(403);
        MembersTest.as(owner, org, "owner").body("{}")
                .patch("/v1/accounts/current/service-accounts/" + UUID.randomUUID())
                .then().statusCode(400);
        MembersTest.as(owner, org, "owner").body("{\"disabled\":true}")
                .patch("/v1/accounts/current/service-accounts/" + UUID.randomUUID()).then().statusCode(404);
    }
}
