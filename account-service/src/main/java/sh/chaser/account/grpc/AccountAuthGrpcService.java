package sh.chaser.account.grpc;

import io.quarkus.grpc.GrpcService;
import io.quarkus.grpc.RegisterInterceptor;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.UUID;
import sh.chaser.account.application.AccountLimitsStore;
import sh.chaser.account.application.AuthenticateToken;
import sh.chaser.account.application.Principal;
import sh.chaser.account.application.RedeemConnectToken;
import sh.chaser.account.domain.ErrorCode;
import sh.chaser.common.api.GrpcRefusals;
import sh.chaser.common.api.ServiceException;
import sh.chaser.proto.account.v1.Account;
import sh.chaser.proto.account.v1.AccountAuth;
import sh.chaser.proto.account.v1.AccountLimits;
import sh.chaser.proto.account.v1.AuthenticateRequest;
import sh.chaser.proto.account.v1.AuthenticateResponse;
import sh.chaser.proto.account.v1.PrincipalType;
import sh.chaser.proto.account.v1.RedeemConnectTokenRequest;

@GrpcService
@RegisterInterceptor(GatewayOnly.class)
public class AccountAuthGrpcService implements AccountAuth {

    @Inject
    AuthenticateToken authenticateToken;
    @Inject
    AccountLimitsStore limits;
    @Inject
    RedeemConnectToken redeemConnectToken;
    @Inject
    sh.chaser.account.application.AuthenticateSshKey authenticateSshKey;

    @Override
    public Uni<sh.chaser.proto.account.v1.AuthenticateSshKeyResponse> authenticateSshKey(
            sh.chaser.proto.account.v1.AuthenticateSshKeyRequest request) {
        var answer = sh.chaser.proto.account.v1.AuthenticateSshKeyResponse.newBuilder();
        return authenticateSshKey.principals(request.getFingerprint(), request.getPublicKey())
                .chain(principals -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (Principal p : principals) {
                        chain = chain.chain(() -> limits.of(p.account().id)
                                .invoke(l -> answer.addPrincipals(toResponse(p, l.limits()))).replaceWithVoid());
                    }
                    return chain;
                }).map(v -> answer.build())
                .onFailure().transform(f -> GrpcRefusals.of(f, ErrorCode.INTERNAL));
    }

    @Override
    public Uni<AuthenticateResponse> authenticate(AuthenticateRequest request) {
        return authenticateToken.authenticate(request.getToken(), request.getAccountSelector())
                .chain(p -> limits.of(p.account().id).map(l -> toResponse(p, l.limits())))
                .onFailure().transform(f -> GrpcRefusals.of(f, ErrorCode.INTERNAL));
    }

    @Override
    public Uni<AuthenticateResponse> redeemConnectToken(RedeemConnectTokenRequest request) {
        RedeemConnectToken.Redemption redemption;
        try {
            redemption = new RedeemConnectToken.Redemption(request.getTokenId(),
                    UUID.fromString(request.getAccountId()),
                    request.getPrincipalType() == PrincipalType.PRINCIPAL_TYPE_SERVICE_ACCOUNT
                            ? Principal.Type.SERVICE_ACCOUNT
                            : Principal.Type.USER,
                    UUID.fromString(request.getPrincipalId()),
                    request.getKeyId().isEmpty() ? null : UUID.fromString(request.getKeyId()),
                    request.getSingleUse(), OffsetDateTime.parse(request.getExpiresAt()));
        } catch (RuntimeException e) {
            return Uni.createFrom().failure(GrpcRefusals.of(
                    new ServiceException(ErrorCode.UNAUTHORIZED, "the connect token names no valid principal"),
                    ErrorCode.INTERNAL));
        }
        return redeemConnectToken.redeem(redemption)
                .chain(p -> limits.of(p.account().id).map(l -> toResponse(p, l.limits())))
                .onFailure().transform(f -> GrpcRefusals.of(f, ErrorCode.INTERNAL));
    }

    static AuthenticateResponse toResponse(Principal p, sh.chaser.common.security.AccountLimits l) {
        var account = p.account();
        return AuthenticateResponse.newBuilder()
                .setPrincipalType(p.type() == Principal.Type.USER
                        ? PrincipalType.PRINCIPAL_TYPE_USER
                        : PrincipalType.PRINCIPAL_TYPE_SERVICE_ACCOUNT)
                .setPrincipalId(p.principalId().toString())
                .setAccount(Account.newBuilder()
                        .setId(account.id.toString())
                        .setName(account.name)
                        .setType(account.type)
                        .setCreatedAt(account.createdAt.toInstant().toString()))
                .setRole(p.role())
                .addAllScopes(p.scopes())
                .setFullAccess(p.fullAccess())
                .setKeyId(p.keyId() == null ? "" : p.keyId().toString())
                .setLimits(AccountLimits.newBuilder().setConcurrentSessions(l.concurrentSessions())
                        .setWorkspaces(l.workspaces()).setWorkspaceStorageBytes(l.workspaceStorageBytes())
                        .setAccountStorageBytes(l.accountStorageBytes()).setIdleTimeoutSeconds(l.idleTimeoutSeconds())
                        .setIdleAction(l.idleAction()))
                .build();
    }
}
