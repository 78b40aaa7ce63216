package sh.chaser.gateway.application;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import sh.chaser.contracts.InternalToken;
import sh.chaser.gateway.config.GatewayConfig;
import sh.chaser.proto.account.v1.AuthenticateResponse;
import sh.chaser.proto.account.v1.PrincipalType;

/**
 * Signs the internal JWT services trust. An RS256 signature costs about a millisecond, so a token
 * is reused for the same principal, account, role and scopes during half its lifetime.
 */
@ApplicationScoped
public class InternalTokenMinter {

    private static final io.grpc.Metadata.Key<String> AUTHORIZATION = io.grpc.Metadata.Key.of("authorization",
            io.grpc.Metadata.ASCII_STRING_MARSHALLER);

    private final Duration ttl;
    private final Cache<String, String> tokens;

    @Inject
    public InternalTokenMinter(GatewayConfig config) {
        this.ttl = config.internalTokenTtl();
        this.tokens = Caffeine.newBuilder().expireAfterWrite(ttl.dividedBy(2)).maximumSize(100_000).build();
    }

    /** The gateway's own token, for its gRPC calls to services. */
    public String gatewayToken() {
        return tokens.get("gateway", k -> Jwt.issuer(InternalToken.ISSUER)
                .audience(InternalToken.AUDIENCE)
                .subject(InternalToken.GATEWAY_SUBJECT)
                .claim(InternalToken.PRINCIPAL_TYPE, InternalToken.GATEWAY)
                .expiresIn(ttl)
                .sign());
    }

    public String tokenFor(AuthenticateResponse p) {
        String key = p.getPrincipalId() + "|" + p.getAccount().getId() + "|" + p.getRole() + "|" + p.getKeyId() + "|"
                + p.getFullAccess() + "|" + String.join(",", p.getScopesList()) + "|" + limits(p);
        return tokens.get(key, k -> sign(p));
    }

    private static String limits(AuthenticateResponse p) {
        var l = p.getLimits();
        return l.getConcurrentSessions() + "," + l.getWorkspaces() + "," + l.getWorkspaceStorageBytes() + ","
                + l.getAccountStorageBytes() + "," + l.getIdleTimeoutSeconds() + "," + l.getIdleAction();
    }

    private String sign(AuthenticateResponse p) {
        var builder = Jwt.issuer(InternalToken.ISSUER)
                .audience(InternalToken.AUDIENCE)
                .subject(p.getPrincipalId())
                .groups(p.getRole())
                .claim(InternalToken.PRINCIPAL_TYPE,
                        p.getPrincipalType() == PrincipalType.PRINCIPAL_TYPE_SERVICE_ACCOUNT
                                ? "service_account"
                                : "user")
                .claim(InternalToken.ACCOUNT, p.getAccount().getId())
                .claim(InternalToken.ROLE, p.getRole())
                .claim(InternalToken.SCOPES, p.getScopesList())
                .claim(InternalToken.FULL_ACCESS, p.getFullAccess())
                .expiresIn(ttl);
        if (p.hasLimits()) {
            var l = p.getLimits();
            builder.claim(InternalToken.LIMITS, java.util.Map.of(
                    InternalToken.LIMIT_CONCURRENT_SESSIONS, l.getConcurrentSessions(),
                    InternalToken.LIMIT_WORKSPACES, l.getWorkspaces(),
                    InternalToken.LIMIT_WORKSPACE_STORAGE_BYTES, l.getWorkspaceStorageBytes(),
                    InternalToken.LIMIT_ACCOUNT_STORAGE_BYTES, l.getAccountStorageBytes(),
                    InternalToken.LIMIT_IDLE_TIMEOUT_SECONDS, l.getIdleTimeoutSeconds(),
                    InternalToken.LIMIT_IDLE_ACTION, l.getIdleAction()));
        }
        if (!p.getKeyId().isEmpty()) {
            builder.claim(InternalToken.KEY, p.getKeyId());
        }
        return builder.sign();
    }

    /** {@code stub} calling as the gateway itself (its token in {@code authorization}), each call within {@code deadlineMs}. */
    public <S extends io.grpc.stub.AbstractStub<S>> S asGateway(S stub, long deadlineMs) {
        io.grpc.Metadata headers = new io.grpc.Metadata();
        headers.put(AUTHORIZATION, "Bearer " + gatewayToken());
        return stub.withDeadlineAfter(deadlineMs, java.util.concurrent.TimeUnit.MILLISECONDS)
                .withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(headers));
    }
}
