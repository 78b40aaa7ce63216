package sh.chaser.account.application;

import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import sh.chaser.account.config.AccountConfig;

/** The platform's own access tokens: RS256 JWTs issued at sign-in, verified in Authenticate. */
@ApplicationScoped
public class AccessTokens {

    public record Issued(String token, long expiresIn) {}

    @Inject
    AccountConfig config;
    @Inject
    JWTParser parser;

    private PrivateKey signingKey;
    private RSAPublicKey publicKey;
    private String keyId;
    private JWTAuthContextInfo verification;

    @PostConstruct
    void load() throws Exception {
        signingKey = KeyUtils.decodePrivateKey(Files.readString(Path.of(config.auth().signingKey())));
        publicKey = (RSAPublicKey) KeyUtils.decodePublicKey(Files.readString(Path.of(config.auth().publicKey())));
        keyId = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(publicKey.getEncoded()), 0, 8);
        verification = new JWTAuthContextInfo(publicKey, config.auth().issuer());
        verification.setExpectedAudience(Set.of(config.auth().audience()));
    }

    public String issuer() {
        return config.auth().issuer();
    }

    public Issued issue(UUID userId) {
        long ttl = config.auth().tokenTtl().toSeconds();
        String token = Jwt.issuer(config.auth().issuer())
                .audience(config.auth().audience())
                .subject(userId.toString())
                .expiresIn(ttl)
                .jws().keyId(keyId)
                .sign(signingKey);
        return new Issued(token, ttl);
    }

    /** @return the user id of a valid token of ours */
    public UUID verify(String token) throws ParseException {
        JsonWebToken jwt = parser.parse(token, verification);
        return UUID.fromString(jwt.getSubject());
    }

    /** The JWKS document that lets anyone verify our access tokens. */
    public Map<String, Object> jwks() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return Map.of("keys", List.of(Map.of("kty", "RSA", "use", "sig", "alg", "RS256", "kid", keyId,
                "n", b64.encodeToString(unsigned(publicKey.getModulus().toByteArray())),
                "e", b64.encodeToString(unsigned(publicKey.getPublicExponent().toByteArray())))));
    }

    private static byte[] unsigned(byte[] twosComplement) {
        return twosComplement.length > 1 && twosComplement[0] == 0
                ? java.util.Arrays.copyOfRange(twosComplement, 1, twosComplement.length)
                : twosComplement;
    }
}
