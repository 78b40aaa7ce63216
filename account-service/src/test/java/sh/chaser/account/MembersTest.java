package sh.chaser.account;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sh.chaser.testkit.ServiceInfraResource;
import sh.chaser.testkit.TestTokens;

@QuarkusTest
@QuarkusTestResource(value = ServiceInfraResource.class, initArgs = @ResourceArg(name = "database", value = "chaser_account"))
class MembersTest {

    UUID founder;
    UUID personal;
    UUID org;

    @BeforeEach
    void anOrganization() {
        String email = "founder-" + UUID.randomUUID() + "@example.com";
        founder = UUID.fromString(TestUsers.create(email));
        personal = UUID.fromString(TestUsers.personalAccount(founder));
        org = UUID.fromString(as(founder, personal, "owner").body("{\"name\":\"Acme " + UUID.randomUUID() + "\"}")
                .post("/v1/accounts/organizations").then().statusCode(201)
                .body("role", equalTo("owner")).body("type", equalTo("organization"))
                .extract().path("id"));
    }

    static RequestSpecification as(UUID user, UUID account, String role) {
        return given().header("Authorization", "Bearer " + TestTokens.user(user, account, role, List.of(), null))
                .contentType("application/json");
    }

    private UUID add(String email, String role) {
        return UUID.fromString(as(founder, org, "owner").body("{\"email\":\"" + email + "\",\"role\":\"" + role + "\"}")
                .post("/v1/accounts/current/members").then().statusCode(201)
                .body("email", equalTo(email)).body("role", equalTo(role)).body("invited", equalTo(true))
                .extract().path("user_id"));
    }

    @Test
    void organizationNamesAreUniqueAndPersonalIsReserved() {
        String name = as(founder, org, "owner").get("/v1/accounts/current").then().extract().path("name");
        as(founder, personal, "owner").body("{\"name\":\"" + name.toUpperCase() + "\"}")
                .post("/v1/accounts/organizations").then().statusCode(409)
                .body("error.code", equalTo("account_name_taken"));
        as(founder, personal, "owner").body("{\"name\":\"Personal\"}").post("/v1/accounts/organizations").then()
                .statusCode(400).body("error.field", equalTo("name"));
        as(founder, personal, "owner").body("{}").post("/v1/accounts/organizations").then().statusCode(400);
    }

    @Test
    void ownersAndAdminsAddMembersByEmailOthersCannot() {
        UUID bob = add("bob-" + UUID.randomUUID() + "@example.com", "admin");
        String carolEmail = "carol-" + UUID.randomUUID() + "@example.com";
        as(bob, org, "admin").body("{\"email\":\"" + carolEmail + "\",\"role\":\"owner\"}")
                .post("/v1/accounts/current/members").then().statusCode(403).body("error.code", equalTo("forbidden"));
        UUID carol = UUID
                .fromString(as(bob, org, "admin").body("{\"email\":\"" + carolEmail + "\",\"role\":\"member\"}")
                        .post("/v1/accounts/current/members").then().statusCode(201).extract().path("user_id"));
        as(carol, org, "member").body("{\"email\":\"dave@example.com\",\"role\":\"member\"}")
                .post("/v1/accounts/current/members").then().statusCode(403);
        as(founder, org, "owner").body("{\"email\":\"" + carolEmail.toUpperCase() + "\",\"role\":\"member\"}")
                .post("/v1/accounts/current/members").then().statusCode(409)
                .body("error.code", equalTo("already_member"));
        as(founder, org, "owner").body("{\"email\":\"not-an-email\",\"role\":\"member\"}")
                .post("/v1/accounts/current/members").then().statusCode(400).body("error.field", equalTo("email"));
        as(founder, org, "owner").body("{\"email\":\"eve@example.com\",\"role\":\"root\"}")
                .post("/v1/accounts/current/members").then().statusCode(400).body("error.field", equalTo("role"));
        as(carol, org, "member").get("/v1/accounts/current/members").then().statusCode(200)
                .body("data.user_id", containsInAnyOrder(founder.toString(), bob.toString(), carol.toString()));
    }

    @Test
    void onlyOwnersTouchOwnersAndTheLastOwnerStays() {
        UUID bob = add("bob-" + UUID.randomUUID() + "@example.com", "admin");
        as(bob, org, "admin").body("{\"role\":\"member\"}").patch("/v1/accounts/current/members/" + founder).then()
                .statusCode(403);
        as(bob, org, "admin").delete("/v1/accounts/current/members/" + founder).then().statusCode(403);
        as(founder, org, "owner").body("{\"role\":\"admin\"}").patch("/v1/accounts/current/members/" + founder).then()
                .statusCode(409).body("error.code", equalTo("last_owner"));
        as(founder, org, "owner").delete("/v1/accounts/current/members/" + founder).then().statusCode(409)
                .body("error.code", equalTo("last_owner"));

        as(founder, org, "owner").body("{\"role\":\"owner\"}").patch("/v1/accounts/current/members/" + bob).then()
                .statusCode(200).body("role", equalTo("owner"));
        as(founder, org, "owner").body("{\"role\":\"member\"}").patch("/v1/accounts/current/members/" + founder).then()
                .statusCode(200).body("role", equalTo("member"));
        as(bob, org, "owner").delete("/v1/accounts/current/members/" + founder).then().statusCode(204);
        as(bob, org, "owner").delete("/v1/accounts/current/members/" + founder).then().statusCode(404)
                .body("error.code", equalTo("member_not_found"));
    }

    @Test
    void anAdminGivesAnInvitedMemberAFirstPasswordOnce() {
        String email = "invitee-" + UUID.randomUUID() + "@example.com";
        UUID invitee = add(email, "member");
        as(founder, org, "owner").body("{\"password\":\"short\"}").patch("/v1/accounts/current/members/" + invitee)
                .then().statusCode(400).body("error.field", equalTo("password"));
        as(founder, org, "owner").body("{\"password\":\"a first long password\"}")
                .patch("/v1/accounts/current/members/" + invitee).then().statusCode(200)
                .body("invited", equalTo(false)).body("role", equalTo("member"));
        given().contentType("application/json")
                .body("{\"email\":\"" + email + "\",\"password\":\"a first long password\"}")
                .post("/v1/auth/login").then().statusCode(200);
        as(founder, org, "owner").body("{\"password\":\"another long password\"}")
                .patch("/v1/accounts/current/members/" + invitee).then().statusCode(403);
        as(founder, org, "owner").body("{}").patch("/v1/accounts/current/members/" + invitee).then().statusCode(400);
    }

    @Test
    void personalAccountsHaveNoMembers() {
        as(founder, personal, "owner").body("{\"email\":\"x@example.com\",\"role\":\"member\"}")
                .post("/v1/accounts/current/members").then().statusCode(403);
    }
}
