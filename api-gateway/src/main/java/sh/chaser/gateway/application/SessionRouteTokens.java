package sh.chaser.gateway.application;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import sh.chaser.contracts.DataPlaneContract;
import sh.chaser.contracts.InternalToken;

/**
 * The token that tells a vm-agent the gateway authorised a request for one session and operation
 * ({@link DataPlaneContract#SESSION_TOKEN_HEADER}). It never leaves the gateway-to-agent hop. An RS256
 * signature costs about a millisecond, so a token is reused for the same session and operation
 * during half its lifetime.
 */
@ApplicationScoped
public class SessionRouteTokens {

    private static final Duration TTL = Duration.ofSeconds(DataPlaneContract.SESSION_TOKEN_SECONDS);
    private final Cache<String, String> tokens = Caffeine.newBuilder().expireAfterWrite(TTL.dividedBy(2))
            .maximumSize(100_000).build();

    /** The token for the agent path {@code agentPath}, or null when the path names no session operation. */
    public String forPath(String agentPath) {
        String[] parts = DataPlaneContract.sessionAndOperation(agentPath);
        if (parts == null) {
            return null;
        }
        return tokens.get(parts[0] + "|" + parts[1], k -> Jwt.issuer(InternalToken.ISSUER)
                .audience(DataPlaneContract.SESSION_TOKEN_AUDIENCE)
                .subject(parts[0])
                .claim(DataPlaneContract.OPERATION_CLAIM, parts[1])
                .expiresIn(TTL)
                .sign());
    }
}
