package sh.chaser.session.domain;

import java.time.OffsetDateTime;

/**
 * One exec a host served on its data plane, from its journal: {@code id} is the audit entry's id,
 * {@code actor} {@code user:<id>} or {@code service_account:<id>} (empty when unknown).
 */
public record HostExec(String id, String sessionId, String actor, String requestId, OffsetDateTime occurredAt,
        boolean background, String commandId, int exitCode, boolean timedOut, long durationMs) {}
