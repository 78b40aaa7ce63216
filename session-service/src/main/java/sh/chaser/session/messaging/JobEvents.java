package sh.chaser.session.messaging;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import sh.chaser.common.messaging.Audit;
import sh.chaser.common.messaging.Outbox;
import sh.chaser.common.messaging.Topics;
import sh.chaser.contracts.EventTypes;
import sh.chaser.proto.events.v1.JobChanged;
import sh.chaser.session.application.Jobs;
import sh.chaser.session.persistence.JobEntity;

/**
 * What happened to a job, on {@code chaser.jobs.v1} (webhooks see {@code job.<event>}) and in the
 * audit trail as its principal's act, both in the transaction that changed the job.
 */
@ApplicationScoped
public class JobEvents implements Jobs.Events {

    @Inject
    Outbox outbox;
    @Inject
    Audit audit;

    @Override
    public Uni<Void> happened(JobEntity j, String event) {
        JobChanged changed = JobChanged.newBuilder().setJobId(j.id.toString()).setAccountId(j.accountId.toString())
                .setKind(j.kind).setStatus(j.status).setEvent(event).setAttempts(j.attempts)
                .setMaxAttempts(j.maxAttempts).setErrorCode(text(j.errorCode)).setErrorMessage(text(j.errorMessage))
                .setIdempotencyKey(text(j.idempotencyKey)).setRunAt(time(j.runAt)).setCreatedAt(time(j.createdAt))
                .setStartedAt(time(j.startedAt)).setFinishedAt(time(j.finishedAt)).build();
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("kind", j.kind);
        metadata.put("attempts", j.attempts);
        if (j.errorCode != null) {
            metadata.put("error_code", j.errorCode);
        }
        return outbox.record(Topics.JOBS, EventTypes.JOB_CHANGED, j.id.toString(), changed)
                .chain(() -> audit.success(Jobs.actor(j), "job." + event, "job", j.id.toString(),
                        j.kind + " job " + event, metadata));
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }

    private static String time(OffsetDateTime t) {
        return t == null ? "" : DateTimeFormatter.ISO_INSTANT.format(t);
    }
}
