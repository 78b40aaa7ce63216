package sh.chaser.agent.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import sh.chaser.contracts.DataPlaneContract;
import sh.chaser.contracts.InternalToken;

/** The agent's check of the gateway's session tokens, against tokens made here with a key of the test's own. */
class SessionTokensTest {

    private static final KeyPair GATEWAY = keyPair();
    private static final KeyPair OTHER = keyPair();
    private static final String SESSION = "6f1c9a52-2b1e-4c55-9d1a-0d7f3b2a9e11";
    private static final long NOW = 1_800_000_000L;
    private final SessionTokens tokens = new SessionTokens(GATEWAY.getPublic());

    private static KeyPair keyPair() {
        try {
            var generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String token(PrivateKey key, String alg, JsonObject claims) throws Exception {
        var url = Base64.getUrlEncoder().withoutPadding();
        String head = url.encodeToString(
                new JsonObject().put("alg", alg).put("typ", "JWT").encode().getBytes(StandardCharsets.UTF_8));
        String body = url.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(key);
        rsa.update((head + "." + body).getBytes(StandardCharsets.US_ASCII));
        return head + "." + body + "." + url.encodeToString(rsa.sign());
    }

    private static JsonObject claims(String session, String op, long exp) {
        return new JsonObject().put("iss", InternalToken.ISSUER).put("aud", DataPlaneContract.SESSION_TOKEN_AUDIENCE)
                .put("sub", session).put(DataPlaneContract.OPERATION_CLAIM, op).put("exp", exp);
    }

    @Test
    void theGatewaysTokenForThisSessionAndOperationIsAccepted() throws Exception {
        assertThat(tokens.refusal(token(GATEWAY.getPrivate(), "RS256", claims(SESSION, "download", NOW + 60)), SESSION,
                "download", NOW)).isEmpty();
    }

    @Test
    void everythingElseIsRefused() throws Exception {
        String other = "0a0b0c0d-0000-4000-8000-000000000000";
        assertThat(tokens.refusal(null, SESSION, "download", NOW)).isPresent();
        assertThat(tokens.refusal("", SESSION, "download", NOW)).isPresent();
        assertThat(tokens.refusal("a.b", SESSION, "download", NOW)).isPresent();
        // a token for another session (the path trick) or another operation
        assertThat(tokens.refusal(token(GATEWAY.getPrivate(), "RS256", claims(other, "download", NOW + 60)), SESSION,
                "download", NOW)).contains("session token is for another session or operation");
        assertThat(tokens.refusal(token(GATEWAY.getPrivate(), "RS256", claims(SESSION, "forward", NOW + 60)), SESSION,
                "pty", NOW)).contains("session token is for another session or operation");
        assertThat(tokens.refusal(token(GATEWAY.getPrivate(), "RS256", claims(SESSION, "download", NOW - 1)), SESSION,
                "download", NOW)).contains("session token expired");
        assertThat(tokens.refusal(token(OTHER.getPrivate(), "RS256", claims(SESSION, "download", NOW + 60)), SESSION,
                "download", NOW)).contains("session token signature does not verify");
        assertThat(tokens.refusal(token(GATEWAY.getPrivate(), "RS256", claims(SESSION, "download", NOW + 60)
                .put("aud", "chaser-services")), SESSION, "download", NOW))
                .contains("session token is not for the data plane");
        assertThat(tokens.refusal(token(GATEWAY.getPrivate(), "none", claims(SESSION, "download", NOW + 60)), SESSION,
                "download", NOW)).contains("session token is not RS256");
    }

    @Test
    void aPemPublicKeyIsRead() throws Exception {
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(GATEWAY.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        assertThat(SessionTokens.publicKey(pem)).isEqualTo(GATEWAY.getPublic());
    }
}
