package sh.chaser.session.grpc;

import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import sh.chaser.common.security.AccountLimits;
import sh.chaser.common.security.Actor;
import sh.chaser.contracts.ErrorCatalog;
import sh.chaser.proto.account.v1.CheckPrincipalRequest;
import sh.chaser.proto.account.v1.PrincipalType;
import sh.chaser.proto.account.v1.PrincipalsGrpc;
import sh.chaser.session.application.JobPrincipals;
import sh.chaser.session.domain.ErrorCode;
import sh.chaser.session.domain.JobFailure;

/** account-service's Principals: a job's principal re-checked before each attempt. */
@ApplicationScoped
public class PrincipalsClient implements JobPrincipals {

    @GrpcClient("account-service")
    PrincipalsGrpc.PrincipalsBlockingStub principals;

    @Override
    public Standing check(Actor actor, UUID keyId) {
        try {
            var answer = principals.withDeadlineAfter(10, TimeUnit.SECONDS).checkPrincipal(CheckPrincipalRequest
                    .newBuilder().setAccountId(actor.accountId().toString())
                    .setPrincipalType("user".equals(actor.type())
                            ? PrincipalType.PRINCIPAL_TYPE_USER
                            : PrincipalType.PRINCIPAL_TYPE_SERVICE_ACCOUNT)
                    .setPrincipalId(actor.id()).setKeyId(keyId == null ? "" : keyId.toString()).build());
            var l = answer.getLimits();
            return new Standing(answer.getScopesList(), answer.getFullAccess(),
                    new AccountLimits(l.getConcurrentSessions(), l.getWorkspaces(), l.getWorkspaceStorageBytes(),
                            l.getAccountStorageBytes(), l.getIdleTimeoutSeconds(), l.getIdleAction()));
        } catch (StatusRuntimeException e) {
            String code = e.getTrailers() == null ? null : e.getTrailers().get(ErrorCatalog.TRAILER);
            if (ErrorCode.UNAUTHORIZED.code().equals(code)) {
                throw new JobFailure(code, "the credential that submitted this job was revoked, or its user left the"
                        + " account", false, null);
            }
            throw new JobFailure(ErrorCatalog.of(sh.chaser.proto.errors.v1.ErrorReason.SERVICE_UNAVAILABLE).code(),
                    "account-service did not answer (" + e.getStatus().getCode() + ")", true, null);
        }
    }
}
