package sh.chaser.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import sh.chaser.gateway.application.IdempotencySeal;
import sh.chaser.gateway.domain.IdempotencyKeys;
import sh.chaser.gateway.domain.IdempotencyKeys.Use;
import sh.chaser.gateway.domain.RouteTable;

/** What an Idempotency-Key applies to, and that a kept answer opens only for its own caller and key. */
class IdempotencyTest {

    private final IdempotencySeal seal = new IdempotencySeal("internal-jwt-test-private.pem");

    @Test
    void aKeptAnswerOpensOnlyForTheSameAccountPrincipalAndKey() {
        var answer = new IdempotencySeal.Sealed(201, "application/json", null,
                Buffer.buffer("{\"key\":\"sk_secret\"}"));
        byte[] sealed = seal.seal("acc", "user", "k1", answer);
        assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("sk_secret"));
        var opened = seal.open("acc", "user", "k1", sealed).orElseThrow();
        assertEquals(201, opened.status());
        assertEquals("{\"key\":\"sk_secret\"}", opened.body().toString());
        assertTrue(seal.open("acc", "user", "k2", sealed).isEmpty());
        assertTrue(seal.open("acc", "other", "k1", sealed).isEmpty());
        assertTrue(seal.open("acc2", "user", "k1", sealed).isEmpty());
        sealed[sealed.length - 1] ^= 1;
        assertTrue(seal.open("acc", "user", "k1", sealed).isEmpty(), "tampered");
    }

    @Test
    void recordsAndFingerprintsSeparateCallersAndRequests() {
        String id = seal.recordId("acc", "user", "k");
        assertEquals(64, id.length());
        assertNotEquals(id, seal.recordId("acc2", "user", "k"));
        assertNotEquals(id, seal.recordId("acc", "user2", "k"));
        // a field boundary cannot be moved: ("ab", "c") is not ("a", "bc")
        assertNotEquals(seal.recordId("ab", "c", "k"), seal.recordId("a", "bc", "k"));
        String first = seal.fingerprint("POST", "/v1/workspaces", Buffer.buffer("{\"name\":\"a\"}"));
        assertEquals(first, seal.fingerprint("POST", "/v1/workspaces", Buffer.buffer("{\"name\":\"a\"}")));
        assertNotEquals(first, seal.fingerprint("POST", "/v1/workspaces", Buffer.buffer("{\"name\":\"b\"}")));
        assertNotEquals(first, seal.fingerprint("POST", "/v1/workspaces?x=1", Buffer.buffer("{\"name\":\"a\"}")));
    }

    @Test
    void servicesMutationsKeepTheKeyCommandsRefuseItSandboxesGetIt() {
        assertEquals(Use.KEPT, use("POST", "/v1/workspaces"));
        assertEquals(Use.KEPT, use("DELETE", "/v1/sessions/x"));
        assertEquals(Use.KEPT, use("PUT", "/v1/workspaces/default"));
        assertEquals(Use.IGNORED, use("GET", "/v1/workspaces"));
        assertEquals(Use.REFUSED, use("POST", "/v1/sessions/x/exec"));
        assertEquals(Use.REFUSED, use("POST", "/v1/mcp"));
        assertEquals(Use.REFUSED, use("POST", "/v1/sessions/x/connect-token"));
        assertEquals(Use.PASSED_ON, use("POST", "/v1/sessions/x/forward/8080/api"));
        assertTrue(IdempotencyKeys.problem("7c1f0e4e-9a57-4d1c-8f43-1b2a3c4d5e6f").isEmpty());
        assertTrue(IdempotencyKeys.problem("").isPresent());
        assertTrue(IdempotencyKeys.problem("has space").isPresent());
        assertTrue(IdempotencyKeys.problem("k".repeat(256)).isPresent());
    }

    private static Use use(String method, String path) {
        return IdempotencyKeys.use(RouteTable.match(method, path).orElseThrow(), method);
    }
}
