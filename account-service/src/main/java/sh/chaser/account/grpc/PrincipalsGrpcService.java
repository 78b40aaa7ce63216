package sh.chaser.account.grpc;

import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.UUID;
import sh.chaser.account.application.AccountLimitsStore;
import sh.chaser.account.application.Principal;
import sh.chaser.account.application.RedeemConnectToken;
import sh.chaser.account.domain.ErrorCode;
import sh.chaser.common.api.GrpcRefusals;
import sh.chaser.common.api.ServiceException;
import sh.chaser.proto.account.v1.AuthenticateResponse;
import sh.chaser.proto.account.v1.CheckPrincipalRequest;
import sh.chaser.proto.account.v1.PrincipalType;

/**
 * session-service asks, before each attempt of a job, whether the principal that submitted it still
 * stands (CallerGuard admits only session-service). The same re-check a connect token gets, without
 * recording a redemption.
 */
@GrpcService
public class PrincipalsGrpcService implements sh.chaser.proto.account.v1.Principals {

    @Inject
    RedeemConnectToken redeem;
    @Inject
    AccountLimitsStore limits;

    @Override
    public Uni<AuthenticateResponse> checkPrincipal(CheckPrincipalRequest request) {
        RedeemConnectToken.Redemption check;
        try {
            check = new RedeemConnectToken.Redemption("", UUID.fromString(request.getAccountId()),
                    request.getPrincipalType() == PrincipalType.PRINCIPAL_TYPE_SERVICE_ACCOUNT
                            ? Principal.Type.SERVICE_ACCOUNT
                            : Principal.Type.USER,
                    UUID.fromString(request.getPrincipalId()),
                    request.getKeyId().isEmpty() ? null : UUID.fromString(request.getKeyId()), false,
                    OffsetDateTime.now());
        } catch (RuntimeException e) {
            return Uni.createFrom().failure(GrpcRefusals.of(
                    new ServiceException(ErrorCode.UNAUTHORIZED, "no valid principal named"), ErrorCode.INTERNAL));
        }
        return redeem.redeem(check)
                .chain(p -> limits.of(p.account().id).map(l -> AccountAuthGrpcService.toResponse(p, l.limits())))
                .onFailure().transform(f -> GrpcRefusals.of(f, ErrorCode.INTERNAL));
    }
}
