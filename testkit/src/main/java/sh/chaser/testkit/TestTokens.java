package sh.chaser.testkit;

import io.smallrye.jwt.build.Jwt;
import java.util.List;
import java.util.UUID;
import sh.chaser.contracts.InternalToken;

/** Internal tokens as the gateway signs them, with the test key pair shipped in this jar. */
public final class TestTokens {

    public static final String PRIVATE_KEY = "internal-jwt-test-private.pem";

    private TestTokens() {}

    /** The gateway's own token, as it sends it to service gRPC APIs. */
    public static String gateway() {
        return Jwt.issuer(InternalToken.ISSUER)
                .audience(InternalToken.AUDIENCE)
                .subject(InternalToken.GATEWAY_SUBJECT)
                .claim(InternalToken.PRINCIPAL_TYPE, InternalToken.GATEWAY)
                .expiresIn(300)
                .sign(PRIVATE_KEY);
    }

    public static String user(UUID userId, UUID accountId, String role, List<String> scopes, UUID keyId) {
        var builder = Jwt.issuer(InternalToken.ISSUER)
                .audience(InternalToken.AUDIENCE)
                .subject(userId.toString())
                .groups(role)
                .claim(InternalToken.PRINCIPAL_TYPE, "user")
                .claim(InternalToken.ACCOUNT, accountId.toString())
                .claim(InternalToken.ROLE, role)
                .claim(InternalToken.SCOPES, scopes)
                .claim(InternalToken.FULL_ACCESS, scopes.isEmpty())
                .expiresIn(60);
        if (keyId != null) {
            builder.claim(InternalToken.KEY, keyId.toString());
        }
        return builder.sign(PRIVATE_KEY);
    }
}
