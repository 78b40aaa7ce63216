package sh.chaser.account.application;

import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;
import sh.chaser.account.config.AccountConfig;

/** Access tokens of configured OIDC issuers, verified against each issuer's JWKS (fetched and cached). */
@ApplicationScoped
public class ExternalTokens {

    /** A verified external identity. */
    public record Identity(String issuer, String subject, String email) {}

    @Inject
    AccountConfig config;
    @Inject
    JWTParser parser;

    private final Map<String, JWTAuthContextInfo> byIssuer = new HashMap<>();

    @PostConstruct
    void init() {
        config.oidc().values().forEach(i -> {
            JWTAuthContextInfo ctx = new JWTAuthContextInfo(i.jwksUri(), i.issuer());
            i.audience().ifPresent(aud -> ctx.setExpectedAudience(Set.of(aud)));
            byIssuer.put(i.issuer(), ctx);
        });
    }

    /** @return the identity, or null when the token names no configured issuer */
    public Identity verify(String token) throws ParseException {
        JWTAuthContextInfo ctx = byIssuer.get(unverifiedIssuer(token));
        if (ctx == null) {
            return null;
        }
        // The issuer read above only picks the key set; the signature and every claim are checked here.
        JsonWebToken jwt = parser.parse(token, ctx);
        Object email = jwt.getClaim("email");
        return new Identity(jwt.getIssuer(), jwt.getSubject(),
                email == null ? null : email.toString().replace("\"", ""));
    }

    private static String unverifiedIssuer(String token) {
        try {
            String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
            var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(payload).get("iss");
            return node == null ? "" : node.asText();
        } catch (Exception e) {
            return "";
        }
    }
}
