package sh.chaser.account;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.Map;

/** An OpenID Connect issuer on loopback: a key pair and the JWKS that publishes its public half. */
public class TestIdentityProvider implements QuarkusTestResourceLifecycleManager {

    public static final String ISSUER = "https://idp.example.test";
    public static final String AUDIENCE = "chaser-test-client";
    static final KeyPair KEYS = generate();
    private HttpServer server;

    private static KeyPair generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        RSAPublicKey pub = (RSAPublicKey) KEYS.getPublic();
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        byte[] jwks = ("{\"keys\":[{\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\",\"kid\":\"idp-1\",\"n\":\""
                + b64.encodeToString(unsigned(pub.getModulus().toByteArray())) + "\",\"e\":\""
                + b64.encodeToString(unsigned(pub.getPublicExponent().toByteArray())) + "\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        server.createContext("/jwks", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            exchange.getResponseBody().write(jwks);
            exchange.close();
        });
        server.start();
        String prefix = "chaser.account.oidc.\"test-idp\".";
        return Map.of(prefix + "issuer", ISSUER,
                prefix + "jwks-uri", "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks",
                prefix + "audience", AUDIENCE);
    }

    @Override
    public void stop() {
        server.stop(0);
    }

    private static byte[] unsigned(byte[] b) {
        return b.length > 1 && b[0] == 0 ? java.util.Arrays.copyOfRange(b, 1, b.length) : b;
    }
}
