package sh.chaser.gateway.application;

import com.google.protobuf.ByteString;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import sh.chaser.proto.account.v1.ClaimIdempotencyRequest;
import sh.chaser.proto.account.v1.ClaimIdempotencyResponse;
import sh.chaser.proto.account.v1.CompleteIdempotencyRequest;
import sh.chaser.proto.account.v1.MutinyIdempotencyRecordsGrpc;
import sh.chaser.proto.account.v1.ReleaseIdempotencyRequest;

/** account-service's Idempotency-Key records (idempotency.proto), called with the gateway's own token. */
@ApplicationScoped
public class IdempotencyStore {

    private static final long DEADLINE_MS = 5_000;

    @GrpcClient("account-service")
    MutinyIdempotencyRecordsGrpc.MutinyIdempotencyRecordsStub records;
    @Inject
    InternalTokenMinter minter;

    public Uni<ClaimIdempotencyResponse> claim(String accountId, String recordId, String fingerprint, long leaseMs) {
        return stub().claim(ClaimIdempotencyRequest.newBuilder().setAccountId(accountId).setRecordId(recordId)
                .setFingerprint(fingerprint).setLeaseMs(leaseMs).build());
    }

    public Uni<Boolean> complete(String recordId, String claimToken, int status, byte[] sealedAnswer) {
        return stub().complete(CompleteIdempotencyRequest.newBuilder().setRecordId(recordId)
                .setClaimToken(claimToken).setStatus(status).setSealedAnswer(ByteString.copyFrom(sealedAnswer))
                .build()).map(r -> r.getApplied());
    }

    public Uni<Boolean> release(String recordId, String claimToken) {
        return stub().release(ReleaseIdempotencyRequest.newBuilder().setRecordId(recordId)
                .setClaimToken(claimToken).build()).map(r -> r.getApplied());
    }

    private MutinyIdempotencyRecordsGrpc.MutinyIdempotencyRecordsStub stub() {
        return minter.asGateway(records, DEADLINE_MS);
    }
}
