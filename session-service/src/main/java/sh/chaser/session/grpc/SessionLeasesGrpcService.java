package sh.chaser.session.grpc;

import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.util.UUID;
import sh.chaser.proto.session.v1.AcquireLeaseRequest;
import sh.chaser.proto.session.v1.Lease;
import sh.chaser.proto.session.v1.ReleaseLeaseRequest;
import sh.chaser.proto.session.v1.ReleaseLeaseResponse;
import sh.chaser.proto.session.v1.RenewLeasesRequest;
import sh.chaser.proto.session.v1.RenewLeasesResponse;
import sh.chaser.proto.session.v1.SessionLeases;
import sh.chaser.session.application.Leases;

/** Leases for the holders of streams (the gateway's data plane). */
@GrpcService
@Blocking
public class SessionLeasesGrpcService implements SessionLeases {

    @Inject
    Leases leases;

    @Override
    public Uni<Lease> acquireLease(AcquireLeaseRequest request) {
        return Calls.call(() -> {
            var lease = leases.acquire(Calls.uuid(request.getAccountId(), "account_id"),
                    Calls.uuid(request.getSessionId(), "session_id"), request.getHolder(),
                    request.getKind().isEmpty() ? "stream" : request.getKind());
            return Lease.newBuilder().setLeaseId(lease.id.toString()).setTtlSeconds(leases.ttlSeconds()).build();
        });
    }

    @Override
    public Uni<RenewLeasesResponse> renewLeases(RenewLeasesRequest request) {
        return Calls.call(() -> RenewLeasesResponse.newBuilder().addAllLostLeaseIds(leases.renew(
                request.getLeaseIdsList().stream().map(id -> Calls.uuid(id, "lease_ids")).toList())
                .stream().map(UUID::toString).toList()).build());
    }

    @Override
    public Uni<ReleaseLeaseResponse> releaseLease(ReleaseLeaseRequest request) {
        return Calls.call(() -> {
            leases.release(Calls.uuid(request.getLeaseId(), "lease_id"));
            return ReleaseLeaseResponse.getDefaultInstance();
        });
    }
}
