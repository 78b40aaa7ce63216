package sh.chaser.gateway.application;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import sh.chaser.gateway.config.GatewayConfig;
import sh.chaser.proto.account.v1.AuthenticateRequest;
import sh.chaser.proto.account.v1.AuthenticateResponse;
import sh.chaser.proto.account.v1.MutinyAccountAuthGrpc;
import sh.chaser.proto.account.v1.RedeemConnectTokenRequest;

/**
 * Bearer token + account selector → principal, asked of account-service and kept for a short
 * while. The cache is keyed by a hash of the token, so no secret sits in memory longer than the
 * request that carried it.
 */
@ApplicationScoped
public class Authenticator {

    /** Per call: a deadline configured on the client is fixed once, when the stub is made. */
    private static final long DEADLINE_MS = 5_000;

    @GrpcClient("account-service")
    MutinyAccountAuthGrpc.MutinyAccountAuthStub accounts;

    private final Cache<String, AuthenticateResponse> cache;
    private final InternalTokenMinter minter;

    @Inject
    public Authenticator(GatewayConfig config, InternalTokenMinter minter) {
        this.minter = minter;
        this.cache = Caffeine.newBuilder().expireAfterWrite(config.authCacheTtl()).maximumSize(100_000).build();
    }

    public Uni<AuthenticateResponse> authenticate(String token, String selector, String requestId) {
        String key = sha256(token) + "|" + selector;
        AuthenticateResponse cached = cache.getIfPresent(key);
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        return minter.asGateway(accounts, DEADLINE_MS).authenticate(AuthenticateRequest.newBuilder()
                .setToken(token).setAccountSelector(selector).setRequestId(requestId).build())
                .invoke(principal -> cache.put(key, principal));
    }

    /**
     * The principal a verified connect token acts as, re-checked by account-service (never cached: a
     * revoked key ends its tokens at once); {@code singleUse} uses the token up.
     */
    public Uni<AuthenticateResponse> redeem(ConnectTokens.Claims claims, boolean singleUse, String requestId) {
        return minter.asGateway(accounts, DEADLINE_MS)
                .redeemConnectToken(RedeemConnectTokenRequest.newBuilder().setTokenId(claims.tokenId())
                        .setAccountId(claims.accountId()).setPrincipalType(claims.principalType())
                        .setPrincipalId(claims.principalId()).setKeyId(claims.keyId()).setSingleUse(singleUse)
                        .setExpiresAt(claims.expiresAt().toString()).setRequestId(requestId).build());
    }

    /** Forget every cached principal (a key was revoked or an account disabled). */
    public void invalidateAll() {
        cache.invalidateAll();
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
