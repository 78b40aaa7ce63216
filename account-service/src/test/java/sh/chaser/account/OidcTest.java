package sh.chaser.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.build.Jwt;
import java.net.URL;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sh.chaser.proto.account.v1.AccountAuthGrpc;
import sh.chaser.proto.account.v1.AuthenticateRequest;
import sh.chaser.proto.account.v1.AuthenticateResponse;
import sh.chaser.testkit.ServiceEndpoints;
import sh.chaser.testkit.ServiceInfraResource;
import sh.chaser.testkit.TestTokens;

@QuarkusTest
@QuarkusTestResource(value = ServiceInfraResource.class, initArgs = @ResourceArg(name = "database", value = "chaser_account"))
@QuarkusTestResource(TestIdentityProvider.class)
class OidcTest {

    @TestHTTPResource("/")
    URL base;
    ManagedChannel channel;
    AccountAuthGrpc.AccountAuthBlockingStub auth;

    @BeforeEach
    void connect() {
        channel = ServiceEndpoints.grpcChannel(base);
        auth = AccountAuthGrpc.newBlockingStub(channel);
    }

    @AfterEach
    void close() {
        channel.shutdownNow();
    }

    private static String token(String subject, String email) {
        var b = Jwt.issuer(TestIdentityProvider.ISSUER).audience(TestIdentityProvider.AUDIENCE).subject(subject)
                .expiresIn(300);
        if (email != null) {
            b.claim("email", email);
        }
        return b.jws().keyId("idp-1").sign(TestIdentityProvider.KEYS.getPrivate());
    }

    private AuthenticateResponse authenticate(String token) {
        return auth.authenticate(AuthenticateRequest.newBuilder().setToken(token).build());
    }

    @Test
    void theFirstTokenOfASubjectCreatesTheUserAndTheirPersonalAccount() {
        String subject = "sub-" + UUID.randomUUID();
        String email = "oidc-" + UUID.randomUUID() + "@example.com";
        AuthenticateResponse first = authenticate(token(subject, email));
        assertEquals("personal", first.getAccount().getType());
        assertEquals(email, first.getAccount().getName());
        assertEquals("owner", first.getRole());
        AuthenticateResponse again = authenticate(token(subject, "changed-" + email));
        assertEquals(first.getPrincipalId(), again.getPrincipalId());
        assertEquals(first.getAccount().getId(), again.getAccount().getId());
    }

    @Test
    void aKnownEmailIsLinkedToItsUser() {
        String email = "invited-" + UUID.randomUUID() + "@example.com";
        String user = TestUsers.create(email);
        assertEquals(user, authenticate(token("sub-" + UUID.randomUUID(), email)).getPrincipalId());
    }

    @Test
    void tokensThatAreNotTheIssuersAreRefused() {
        long now = Instant.now().getEpochSecond();
        String subject = "sub-" + UUID.randomUUID();
        for (String token : new String[]{
                Jwt.issuer(TestIdentityProvider.ISSUER).audience("another-client").subject(subject).expiresIn(300)
                        .jws().keyId("idp-1").sign(TestIdentityProvider.KEYS.getPrivate()),
                Jwt.issuer("https://unknown.example.test").audience(TestIdentityProvider.AUDIENCE).subject(subject)
                        .expiresIn(300).jws().keyId("idp-1").sign(TestIdentityProvider.KEYS.getPrivate()),
                Jwt.issuer(TestIdentityProvider.ISSUER).audience(TestIdentityProvider.AUDIENCE).subject(subject)
                        .expiresIn(300).jws().keyId("idp-1").sign(TestTokens.PRIVATE_KEY),
                Jwt.issuer(TestIdentityProvider.ISSUER).audience(TestIdentityProvider.AUDIENCE).subject(subject)
                        .issuedAt(now - 600).expiresAt(now - 300).jws().keyId("idp-1")
                        .sign(TestIdentityProvider.KEYS.getPrivate()) }) {
            var e = assertThrows(StatusRuntimeException.class, () -> authenticate(token));
            assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
        }
    }
}
