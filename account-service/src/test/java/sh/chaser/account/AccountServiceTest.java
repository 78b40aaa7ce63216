package sh.chaser.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;
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
class AccountServiceTest {

    @TestHTTPResource(value = "/", management = true)
    URL management;

    private static final Metadata.Key<String> CODE = Metadata.Key.of("chaser-error-code",
            Metadata.ASCII_STRING_MARSHALLER);

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

    @Test
    void readyWithDatabaseAndKafkaAndObservable() {
        ServiceEndpoints.assertReadyWithDatabaseAndKafka(management);
        ServiceEndpoints.assertMetricsOnTheManagementPortOnly(management);
    }

    @Test
    void bootstrapWritesCredentialsOnceToAnOwnerOnlyFile() throws Exception {
        Path file = Path.of("target/test-bootstrap.env");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        Properties creds = credentials();
        assertEquals("admin@chaser.local", creds.getProperty("CHASER_ADMIN_EMAIL"));
        assertTrue(creds.getProperty("CHASER_API_KEY").matches("sk_[0-9A-Za-z]{43}"));
        assertTrue(creds.getProperty("CHASER_ADMIN_PASSWORD").length() >= 20);
    }

    @Test
    void databaseHoldsNoSecretInClear() throws Exception {
        Properties creds = credentials();
        String dump = ServiceDatabase.dump("users") + ServiceDatabase.dump("api_keys");
        assertTrue(dump.contains("pbkdf2-sha256$"), dump);
        assertTrue(dump.contains(creds.getProperty("CHASER_API_KEY").substring(0, 11)), "key_prefix is kept");
        assertFalse(dump.contains(creds.getProperty("CHASER_API_KEY")));
        assertFalse(dump.contains(creds.getProperty("CHASER_ADMIN_PASSWORD")));
    }

    @Test
    void authenticatesTheBootstrapKeyInItsPersonalAccount() throws Exception {
        String key = credentials().getProperty("CHASER_API_KEY");
        AuthenticateResponse r = auth.authenticate(AuthenticateRequest.newBuilder().setToken(key).build());
        assertEquals("admin@chaser.local", r.getAccount().getName());
        assertEquals("personal", r.getAccount().getType());
        assertEquals("owner", r.getRole());
        assertTrue(r.getFullAccess());
        assertNotNull(r.getAccount().getId());

        var personal = auth
                .authenticate(AuthenticateRequest.newBuilder().setToken(key).setAccountSelector("personal").build());
        assertEquals(r.getAccount().getId(), personal.getAccount().getId());
        var byId = auth.authenticate(AuthenticateRequest.newBuilder().setToken(key)
                .setAccountSelector(r.getAccount().getId()).build());
        assertEquals(r.getAccount().getId(), byId.getAccount().getId());
    }

    @Test
    void refusesUnknownMalformedAndRedirectedKeys() throws Exception {
        String key = credentials().getProperty("CHASER_API_KEY");
        String unknown = key.substring(0, key.length() - 1) + (key.endsWith("a") ? "b" : "a");
        assertRefused(Status.Code.UNAUTHENTICATED, "unauthorized", AuthenticateRequest.newBuilder().setToken(unknown));
        assertRefused(Status.Code.UNAUTHENTICATED, "unauthorized",
                AuthenticateRequest.newBuilder().setToken("not-a-key"));
        assertRefused(Status.Code.UNAUTHENTICATED, "unauthorized", AuthenticateRequest.newBuilder());
        assertRefused(Status.Code.PERMISSION_DENIED, "account_mismatch",
                AuthenticateRequest.newBuilder().setToken(key).setAccountSelector("Some Other Org"));
    }

    @Test
    void onlyTheGatewayMayAuthenticate() throws Exception {
        String key = credentials().getProperty("CHASER_API_KEY");
        for (String bearer : new String[]{ null, "not-a-token",
                TestTokens.user(java.util.UUID.randomUUID(), java.util.UUID.randomUUID(), "owner", java.util.List.of(),
                        null) }) {
            var direct = ServiceEndpoints.grpcChannel(base, bearer);
            try {
                var e = assertThrows(StatusRuntimeException.class, () -> AccountAuthGrpc.newBlockingStub(direct)
                        .authenticate(AuthenticateRequest.newBuilder().setToken(key).build()));
                assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
            } finally {
                direct.shutdownNow();
            }
        }
    }

    private void assertRefused(Status.Code status, String code, AuthenticateRequest.Builder request) {
        var e = assertThrows(StatusRuntimeException.class, () -> auth.authenticate(request.build()));
        assertEquals(status, e.getStatus().getCode());
        assertEquals(code, e.getTrailers().get(CODE));
    }

    private static Properties credentials() {
        return TestUsers.bootstrapCredentials();
    }
}
