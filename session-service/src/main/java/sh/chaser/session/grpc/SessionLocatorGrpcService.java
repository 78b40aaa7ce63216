package sh.chaser.session.grpc;

import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import sh.chaser.common.persistence.Tx;
import sh.chaser.proto.session.v1.LocateSessionRequest;
import sh.chaser.proto.session.v1.LocateSessionResponse;
import sh.chaser.proto.session.v1.SessionLocator;
import sh.chaser.session.application.Placement;
import sh.chaser.session.domain.ErrorCode;
import sh.chaser.session.persistence.PgSessionRepository;

/** Where a session runs, for the gateway's session endpoints; another account's session is not found. */
@GrpcService
@Blocking
public class SessionLocatorGrpcService implements SessionLocator {

    @Inject
    PgSessionRepository sessions;
    @Inject
    Placement placement;

    @Override
    public Uni<LocateSessionResponse> locateSession(LocateSessionRequest request) {
        return Calls.call(() -> {
            var account = Calls.uuid(request.getAccountId(), "account_id");
            var id = Calls.uuid(request.getSessionId(), "session_id");
            var s = Tx.read(() -> sessions.visible(account, id));
            if (s == null) {
                throw ErrorCode.SESSION_NOT_FOUND.exception("no session " + id);
            }
            String address = placement.address(s.hostId).map(Placement.Host::address).orElse("");
            return LocateSessionResponse.newBuilder().setSessionId(s.id.toString())
                    .setHostId(s.hostId == null ? "" : s.hostId).setHostGrpcAddress(address)
                    .setSessionType(s.sessionType).setStatus(s.status).setRuntime(s.runtime == null ? "" : s.runtime)
                    .setWorkspaceId(s.workspaceId == null ? "" : s.workspaceId.toString()).build();
        });
    }
}
