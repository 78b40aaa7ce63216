package sh.chaser.account;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;
import java.math.BigInteger;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sh.chaser.proto.account.v1.AccountAuthGrpc;
import sh.chaser.proto.account.v1.AuthenticateRequest;
import sh.chaser.testkit.ServiceEndpoints;
import sh.chaser.testkit.ServiceInfraResource;
import sh.chaser.testkit.TestTokens;

@QuarkusTest
@QuarkusTestResource(value = ServiceInfraResource.class, initArgs = @ResourceArg(name = "database", value = "chaser_account"))
class SignInTest {

    private static final Metadata.Key<String> CODE = Metadata.Key.of("chaser-error-code",
            Metadata.ASCII_STRING_MARSHALLER);
    private static final String KEY = "src/test/resources/auth-jwt-test-private.pem";

    @TestHTTPResource("/")
    URL base;
    ManagedChannel channel;
    AccountAuthGrpc.AccountAuthBlockingStub auth;
    Properties admin;

    @BeforeEach
    void connect() throws Exception {
        channel = ServiceEndpoints.grpcChannel(base);
        auth = AccountAuthGrpc.newBlockingStub(channel);
        admin = TestUsers.bootstrapCredentials();
    }

    @AfterEach
    void close() {
        channel.shutdownNow();
    }

    private String login(String email, String password) {
        return given().contentType("application/json")
                .body("{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}")
                .post("/v1/auth/login").then().statusCode(200)
                .body("token_type", equalTo("Bearer")).body("expires_in", equalTo(3600))
                .extract().path("access_token");
    }

    @Test
    void aSignedInUserSelectsAnyOfTheirAccounts() {
        String token = login(admin.getProperty("CHASER_ADMIN_EMAIL"), admin.getProperty("CHASER_ADMIN_PASSWORD"));
        var personal = auth.authenticate(AuthenticateRequest.newBuilder().setToken(token).build());
        assertEquals("personal", personal.getAccount().getType());
        assertTrue(personal.getFullAccess());

        String orgName = "Signin Org " + UUID.randomUUID();
        String orgId = given()
                .header("Authorization", "Bearer " + TestTokens.user(UUID.fromString(personal.getPrincipalId()),
                        UUID.fromString(personal.getAccount().getId()), "owner", List.of(), null))
                .contentType("application/json").body("{\"name\":\"" + orgName + "\"}")
                .post("/v1/accounts/organizations").then().statusCode(201).extract().path("id");
        for (String selector : List.of(orgName, orgId)) {
            var inOrg = auth.authenticate(
                    AuthenticateRequest.newBuilder().setToken(token).setAccountSelector(selector).build());
            assertEquals(orgId, inOrg.getAccount().getId());
            assertEquals("owner", inOrg.getRole());
        }
        assertRefused(Status.Code.NOT_FOUND, "account_not_found",
                AuthenticateRequest.newBuilder().setToken(token).setAccountSelector(UUID.randomUUID().toString()));
    }

    @Test
    void wrongCredentialsAreOneAnswer() {
        for (String body : List.of(
                "{\"email\":\"" + admin.getProperty("CHASER_ADMIN_EMAIL") + "\",\"password\":\"nope\"}",
                "{\"email\":\"nobody@example.com\",\"password\":\"whatever-it-is\"}")) {
            given().contentType("application/json").body(body).post("/v1/auth/login").then().statusCode(401)
                    .body("error.code", equalTo("unauthorized"))
                    .body("error.message", equalTo("wrong email or password"));
        }
        given().contentType("application/json").body("{\"email\":\"x\"}").post("/v1/auth/login").then().statusCode(400);
    }

    @Test
    void anInvitedUserSetsAPasswordThenSignsIn() {
        String email = "invited-" + UUID.randomUUID() + "@example.com";
        UUID user = UUID.fromString(TestUsers.create(email));
        UUID account = UUID.fromString(TestUsers.personalAccount(user));
        var as = given().header("Authorization", "Bearer " + TestTokens.user(user, account, "owner", List.of(), null))
                .contentType("application/json");
        as.body("{\"new_password\":\"short\"}").post("/v1/auth/password").then().statusCode(400)
                .body("error.field", equalTo("new_password"));
        given().header("Authorization", "Bearer " + TestTokens.user(user, account, "owner", List.of(), null))
                .contentType("application/json").body("{\"new_password\":\"a long enough password\"}")
                .post("/v1/auth/password").then().statusCode(204);
        login(email, "a long enough password");
        given().header("Authorization", "Bearer " + TestTokens.user(user, account, "owner", List.of(), null))
                .contentType("application/json")
                .body("{\"current_password\":\"wrong one entirely\",\"new_password\":\"another long password\"}")
                .post("/v1/auth/password").then().statusCode(403);
    }

    @Test
    void theJwksVerifiesOurTokens() throws Exception {
        String token = login(admin.getProperty("CHASER_ADMIN_EMAIL"), admin.getProperty("CHASER_ADMIN_PASSWORD"));
        var jwks = given().get("/v1/auth/jwks").then().statusCode(200).extract().jsonPath();
        String[] parts = token.split("\\.");
        String header = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
        assertTrue(header.contains(jwks.getString("keys[0].kid")), header);
        var key = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                new BigInteger(1, Base64.getUrlDecoder().decode(jwks.getString("keys[0].n"))),
                new BigInteger(1, Base64.getUrlDecoder().decode(jwks.getString("keys[0].e")))));
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initVerify(key);
        rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertTrue(rs256.verify(Base64.getUrlDecoder().decode(parts[2])));
    }

    @Test
    void everyBrokenTokenIsRefused() throws Exception {
        String user = auth
                .authenticate(AuthenticateRequest.newBuilder().setToken(admin.getProperty("CHASER_API_KEY")).build())
                .getPrincipalId();
        var ours = KeyUtils.decodePrivateKey(Files.readString(Path.of(KEY)));
        long now = Instant.now().getEpochSecond();
        String valid = Jwt.issuer("chaser").audience("chaser-api").subject(user).expiresIn(300).sign(ours);
        auth.authenticate(AuthenticateRequest.newBuilder().setToken(valid).build());

        String[] p = valid.split("\\.");
        String tamperedPayload = Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(Base64.getUrlDecoder().decode(p[1]), StandardCharsets.UTF_8)
                        .replace(user, UUID.randomUUID().toString()).getBytes(StandardCharsets.UTF_8));
        String none = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes())
                + "." + p[1] + ".";
        List<String> broken = List.of(
                Jwt.issuer("chaser").audience("chaser-api").subject(user).issuedAt(now - 600).expiresAt(now - 300)
                        .sign(ours),
                Jwt.issuer("chaser").audience("chaser-api").subject(user).claim("nbf", now + 600).expiresIn(900)
                        .sign(ours),
                Jwt.issuer("someone-else").audience("chaser-api").subject(user).expiresIn(300).sign(ours),
                Jwt.issuer("chaser").audience("another-api").subject(user).expiresIn(300).sign(ours),
                none,
                Jwt.issuer("chaser").audience("chaser-api").subject(user).expiresIn(300).sign(TestTokens.PRIVATE_KEY),
                p[0] + "." + tamperedPayload + "." + p[2]);
        for (String token : broken) {
            assertRefused(Status.Code.UNAUTHENTICATED, "unauthorized",
                    AuthenticateRequest.newBuilder().setToken(token));
        }
    }

    private void assertRefused(Status.Code status, String code, AuthenticateRequest.Builder request) {
        var e = assertThrows(StatusRuntimeException.class, () -> auth.authenticate(request.build()));
        assertEquals(status, e.getStatus().getCode());
        assertEquals(code, e.getTrailers().get(CODE));
    }
}
