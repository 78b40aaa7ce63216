package sh.chaser.session.api;

import java.time.OffsetDateTime;
import java.util.UUID;
import sh.chaser.session.persistence.SessionEntity;

/** SessionInfo of API.md section 3. */
public record SessionView(UUID id, String sessionType, String status, boolean ephemeral, UUID workspaceId, String image,
        String host, String runtime, Endpoints.Urls endpoints, long activeConnectionLeases, OffsetDateTime createdAt,
        OffsetDateTime runningAt, OffsetDateTime terminatedAt, String terminationReason) {

    /** The answer of POST /v1/sessions/{id}/fork: the new sessions, in order. */
    public record Forks(java.util.List<SessionView> data) {}

    public static SessionView of(SessionEntity s, Endpoints endpoints, long leases) {
        return new SessionView(s.id, s.sessionType, s.status, s.ephemeral, s.workspaceId, s.image, s.hostId, s.runtime,
                endpoints.of(s), leases, s.createdAt, s.runningAt, s.terminatedAt, s.terminationReason);
    }
}
