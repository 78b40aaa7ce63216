package sh.chaser.account.grpc;

import com.google.protobuf.ByteString;
import io.quarkus.grpc.GrpcService;
import io.quarkus.grpc.RegisterInterceptor;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.util.UUID;
import sh.chaser.account.domain.ErrorCode;
import sh.chaser.account.persistence.PgIdempotencyRecords;
import sh.chaser.common.api.GrpcRefusals;
import sh.chaser.common.api.ServiceException;
import sh.chaser.proto.account.v1.ClaimIdempotencyRequest;
import sh.chaser.proto.account.v1.ClaimIdempotencyResponse;
import sh.chaser.proto.account.v1.ClaimIdempotencyResponse.Outcome;
import sh.chaser.proto.account.v1.CompleteIdempotencyRequest;
import sh.chaser.proto.account.v1.CompleteIdempotencyResponse;
import sh.chaser.proto.account.v1.IdempotencyRecords;
import sh.chaser.proto.account.v1.ReleaseIdempotencyRequest;

/** The gateway's Idempotency-Key records (see idempotency.proto); only the gateway may call. */
@GrpcService
@RegisterInterceptor(GatewayOnly.class)
public class IdempotencyGrpcService implements IdempotencyRecords {

    /** Longer than any request the gateway lets run (its backend timeout), so a live claim is never taken. */
    private static final long MIN_LEASE_MS = 1_000;

    @Inject
    PgIdempotencyRecords records;

    @Override
    public Uni<ClaimIdempotencyResponse> claim(ClaimIdempotencyRequest request) {
        UUID account;
        try {
            account = UUID.fromString(request.getAccountId());
        } catch (IllegalArgumentException e) {
            return refused("account_id is not a UUID");
        }
        if (request.getRecordId().isBlank() || request.getFingerprint().isBlank()) {
            return refused("record_id and fingerprint are required");
        }
        return records.claim(request.getRecordId(), account, request.getFingerprint(),
                Math.max(MIN_LEASE_MS, request.getLeaseMs())).map(found -> {
                    var answer = ClaimIdempotencyResponse.newBuilder();
                    if (found == null) {
                        return answer.setOutcome(Outcome.OUTCOME_IN_PROGRESS).build();
                    }
                    if (found.claimToken() != null) {
                        return answer.setOutcome(Outcome.OUTCOME_CLAIMED)
                                .setClaimToken(found.claimToken().toString()).build();
                    }
                    if (!found.fingerprint().equals(request.getFingerprint())) {
                        return answer.setOutcome(Outcome.OUTCOME_REUSED).build();
                    }
                    if (found.status() == null) {
                        return answer.setOutcome(Outcome.OUTCOME_IN_PROGRESS).build();
                    }
                    return answer.setOutcome(Outcome.OUTCOME_REPLAY).setStatus(found.status())
                            .setSealedAnswer(ByteString.copyFrom(found.sealedAnswer())).build();
                }).onFailure().transform(f -> GrpcRefusals.of(f, ErrorCode.INTERNAL));
    }

    @Override
    public Uni<CompleteIdempotencyResponse> complete(CompleteIdempotencyRequest request) {
        return token(request.getClaimToken())
                .chain(token -> records.complete(request.getRecordId(), token, request.getStatus(),
                        request.getSealedAnswer().toByteArray()))
                .map(applied -> CompleteIdempotencyResponse.newBuilder().setApplied(applied).build())
                .onFailure().transform(f -> GrpcRefusals.of(f, ErrorCode.INTERNAL));
    }

    @Override
    public Uni<CompleteIdempotencyResponse> release(ReleaseIdempotencyRequest request) {
        return token(request.getClaimToken())
                .chain(token -> records.release(request.getRecordId(), token))
                .map(applied -> CompleteIdempotencyResponse.newBuilder().setApplied(applied).build())
                .onFailure().transform(f -> GrpcRefusals.of(f, ErrorCode.INTERNAL));
    }

    private static Uni<UUID> token(String claimToken) {
        return Uni.createFrom().item(() -> UUID.fromString(claimToken)).onFailure()
                .transform(f -> new ServiceException(ErrorCode.INVALID_REQUEST, "claim_token is not a UUID"));
    }

    private static <T> Uni<T> refused(String message) {
        return Uni.createFrom().failure(GrpcRefusals.of(new ServiceException(ErrorCode.INVALID_REQUEST, message),
                ErrorCode.INTERNAL));
    }
}
