package sh.chaser.account.grpc;

import io.quarkus.grpc.GrpcService;
import io.quarkus.grpc.RegisterInterceptor;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import sh.chaser.account.application.AccountLimitsStore;
import sh.chaser.account.application.AuthenticateToken;
import sh.chaser.account.application.Principal;
import sh.chaser.account.domain.ErrorCode;
import sh.chaser.common.api.GrpcRefusals;
import sh.chaser.proto.account.v1.Account;
import sh.chaser.proto.account.v1.AccountAuth;
import sh.chaser.proto.account.v1.AccountLimits;
import sh.chaser.proto.account.v1.AuthenticateRequest;
import sh.chaser.proto.account.v1.AuthenticateResponse;
import sh.chaser.proto.account.v1.PrincipalType;

@GrpcService
@RegisterInterceptor(GatewayOnly.class)
public class AccountAuthGrpcService implements AccountAuth {

    @Inject
    AuthenticateToken authenticateToken;
    @Inject
    AccountLimitsStore limits;

    @Override
    public Uni<AuthenticateResponse> authenticate(AuthenticateRequest request) {
        return authenticateToken.authenticate(request.getToken(), request.getAccountSelector())
                .chain(p -> limits.of(p.account().id).map(l -> toResponse(p, l.limits())))
                .onFailure().transform(f -> GrpcRefusals.of(f, ErrorCode.INTERNAL));
    }

    private static AuthenticateResponse toResponse(Principal p, sh.chaser.common.security.AccountLimits l) {
        var account = p.account();
        return AuthenticateResponse.newBuilder()
                .setPrincipalType(p.type() == Principal.Type.USER ? PrincipalType.PRINCIPAL_TYPE_USER
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
                        .setAccountStorageBytes(l.accountStorageBytes()))
                .build();
    }
}
