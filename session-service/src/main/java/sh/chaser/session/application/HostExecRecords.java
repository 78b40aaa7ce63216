package sh.chaser.session.application;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;
import sh.chaser.common.messaging.Outbox;
import sh.chaser.common.messaging.Topics;
import sh.chaser.contracts.AuditEvents;
import sh.chaser.session.domain.ErrorCode;
import sh.chaser.session.domain.HostExec;
import sh.chaser.session.persistence.PgHostRepository;
import sh.chaser.session.persistence.PgSessionRepository;
import sh.chaser.session.persistence.SessionEntity;

/**
 * The execs a host served on its data plane become {@code session.exec} audit entries, through the
 * outbox, once each (by the id the host gave the record). The account is the session's, not the
 * host's word, and a host records only sessions placed on it: a compromised host cannot write
 * another host's tenants' trail.
 */
@ApplicationScoped
public class HostExecRecords {

    private static final Logger LOG = Logger.getLogger(HostExecRecords.class);

    @Inject
    PgHostRepository hosts;
    @Inject
    PgSessionRepository sessions;
    @Inject
    Outbox outbox;

    /** How many were recorded and how many dropped as not this host's. */
    public record Outcome(int recorded, int dropped) {}

    @WithTransaction
    public Uni<Outcome> record(String hostId, String credential, List<HostExec> execs) {
        return hosts.findById(hostId).flatMap(host -> {
            if (host == null || host.credentialHash == null
                    || !HostCredentials.matches(host.credentialHash, credential)) {
                LOG.warnf("exec records from host %s refused: not that host's credential", hostId);
                return Uni.createFrom().failure(ErrorCode.FORBIDDEN.exception("not this host's credential"));
            }
            List<UUID> ids = execs.stream().map(e -> uuid(e.sessionId())).flatMap(Optional::stream).distinct()
                    .toList();
            return (ids.isEmpty() ? Uni.createFrom().item(List.<SessionEntity>of()) : sessions.onHost(hostId, ids))
                    .flatMap(found -> record(hostId, execs, found));
        });
    }

    private Uni<Outcome> record(String hostId, List<HostExec> execs, List<SessionEntity> found) {
        Map<String, SessionEntity> byId = new LinkedHashMap<>();
        found.forEach(s -> byId.put(s.id.toString(), s));
        List<Uni<Void>> writes = new ArrayList<>();
        int dropped = 0;
        for (HostExec exec : execs) {
            SessionEntity session = byId.get(exec.sessionId());
            Optional<UUID> id = uuid(exec.id());
            if (session == null || id.isEmpty()) {
                dropped++;
                continue;
            }
            String account = session.accountId.toString();
            writes.add(outbox.recordOnce(id.get(), exec.occurredAt(), Topics.AUDIT, AuditEvents.TYPE, account,
                    data(account, exec)));
        }
        if (dropped > 0) {
            LOG.warnf("host %s sent %d exec records of sessions it never ran (or without an id): dropped", hostId,
                    dropped);
        }
        int recorded = writes.size();
        int refused = dropped;
        // one after the other: a Hibernate Reactive session runs one statement at a time
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Uni<Void> write : writes) {
            chain = chain.chain(() -> write);
        }
        return chain.map(v -> new Outcome(recorded, refused));
    }

    static Map<String, Object> data(String account, HostExec exec) {
        String actor = exec.actor() == null ? "" : exec.actor();
        int colon = actor.indexOf(':');
        String actorType = colon > 0 ? actor.substring(0, colon) : null;
        String actorId = colon > 0 ? actor.substring(colon + 1) : null;
        Map<String, Object> metadata = new LinkedHashMap<>();
        String summary;
        if (exec.background()) {
            metadata.put("command_id", exec.commandId());
            metadata.put("background", true);
            summary = "started a background command";
        } else {
            metadata.put("exit_code", exec.exitCode());
            metadata.put("timed_out", exec.timedOut());
            metadata.put("duration_ms", exec.durationMs());
            summary = "ran a command (exit " + exec.exitCode() + ")";
        }
        metadata.put("request_id", exec.requestId() == null ? "" : exec.requestId());
        return AuditEvents.successData(account, actorType, actorId, "session.exec", "session", exec.sessionId(),
                summary, metadata);
    }

    private static Optional<UUID> uuid(String text) {
        try {
            return Optional.of(UUID.fromString(text));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
