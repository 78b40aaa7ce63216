package sh.chaser.session.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.OffsetDateTime;
import java.util.UUID;
import sh.chaser.session.persistence.JobEntity;

/** JobInfo (docs/api.md, jobs): a job as its account sees it. */
public record JobView(UUID id, String kind, JsonNode input, String status, int attempts, int maxAttempts,
        JsonNode result, JobError error, OffsetDateTime runAt, String idempotencyKey, boolean cancelRequested,
        OffsetDateTime createdAt, OffsetDateTime startedAt, OffsetDateTime finishedAt) {

    /** Why the last attempt failed (kept while a retry waits); not named Error, the envelope's schema. */
    public record JobError(String code, String message) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    public static JobView of(JobEntity j) {
        return new JobView(j.id, j.kind, read(j.input), j.status, j.attempts, j.maxAttempts, read(j.result),
                j.errorCode == null ? null : new JobError(j.errorCode, j.errorMessage), j.runAt, j.idempotencyKey,
                j.cancelRequested, j.createdAt, j.startedAt, j.finishedAt);
    }

    private static JsonNode read(String text) {
        try {
            return text == null ? null : JSON.readTree(text);
        } catch (Exception e) {
            return null;
        }
    }
}
