package sh.chaser.session.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import sh.chaser.common.api.Cursor;
import sh.chaser.common.api.Page;
import sh.chaser.common.security.Actor;
import sh.chaser.common.security.InternalCaller;
import sh.chaser.session.application.Jobs;
import sh.chaser.session.domain.ErrorCode;
import sh.chaser.session.domain.JobKinds;

/** Jobs (docs/jobs.md): work done later, durably, as the caller. */
@Path("/v1/jobs")
@Authenticated
@Blocking
@Produces(MediaType.APPLICATION_JSON)
public class JobsResource {

    private static final Set<String> STATUSES = Set.of("queued", "running", "succeeded", "failed", "cancelled");

    public record KindView(String kind, List<String> scopes, String description, JsonNode inputSchema) {}

    @Inject
    InternalCaller caller;
    @Inject
    Jobs jobs;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "202", description = "queued", content = @Content(mediaType = "application/json", schema = @Schema(implementation = JobView.class)))
    @APIResponse(responseCode = "200", description = "the job submitted earlier with this idempotency_key", content = @Content(mediaType = "application/json", schema = @Schema(implementation = JobView.class)))
    public Response submit(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ErrorCode.INVALID_REQUEST.exception("a JSON object with kind and input is required", "kind");
        }
        JsonNode input = body.path("input");
        if (!input.isObject()) {
            throw ErrorCode.INVALID_REQUEST.exception("input must be an object (GET /v1/jobs/kinds shows its schema)",
                    "input");
        }
        var submitted = jobs.submit(principal(), new Jobs.Submission(body.path("kind").asText(null), input,
                runAt(body.get("run_at")), idempotencyKey(body.get("idempotency_key")),
                maxAttempts(body.get("max_attempts"))));
        return Response.status(submitted.fresh() ? 202 : 200).entity(JobView.of(submitted.job())).build();
    }

    @GET
    public Page<JobView> list(@QueryParam("status") String status, @QueryParam("kind") String kind,
            @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        if (status != null && !STATUSES.contains(status)) {
            throw ErrorCode.INVALID_REQUEST.exception("status must be one of " + STATUSES, "status");
        }
        if (kind != null) {
            JobKinds.of(kind);
        }
        int n = limit == null ? 100 : limit;
        if (n < 1 || n > 500) {
            throw ErrorCode.INVALID_REQUEST.exception("limit must be between 1 and 500", "limit");
        }
        Cursor after = Cursor.decode(cursor, ErrorCode.INVALID_REQUEST);
        var rows = jobs.page(caller.accountId(), status, kind, n + 1, after == null ? null : after.createdAt(),
                after == null ? null : after.id());
        List<JobView> page = rows.stream().limit(n).map(JobView::of).toList();
        JobView last = page.isEmpty() ? null : page.get(page.size() - 1);
        return new Page<>(page, rows.size() > n ? new Cursor(last.createdAt(), last.id()).encode() : null);
    }

    @GET
    @Path("kinds")
    public List<KindView> kinds() {
        return JobKinds.all().stream().map(k -> new KindView(k.name(), k.scopes(), k.description(), k.inputSchema()))
                .toList();
    }

    @GET
    @Path("{id}")
    public JobView get(@PathParam("id") String id) {
        return JobView.of(jobs.get(caller.accountId(), parse(id)));
    }

    @POST
    @Path("{id}/cancel")
    public JobView cancel(@PathParam("id") String id) {
        return JobView.of(jobs.cancel(principal(), parse(id)));
    }

    private Jobs.Principal principal() {
        return new Jobs.Principal(Actor.of(caller), caller.keyId(), caller.scopes(), caller.fullAccess());
    }

    private static UUID parse(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ErrorCode.JOB_NOT_FOUND.exception("no job " + id + " in this account");
        }
    }

    private static OffsetDateTime runAt(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        try {
            OffsetDateTime at = OffsetDateTime.parse(value.asText());
            if (at.isAfter(OffsetDateTime.now().plusDays(365))) {
                throw ErrorCode.INVALID_REQUEST.exception("run_at may be at most a year ahead", "run_at");
            }
            return at;
        } catch (DateTimeParseException e) {
            throw ErrorCode.INVALID_REQUEST.exception("run_at must be an RFC 3339 time, e.g. 2026-12-24T18:00:00Z",
                    "run_at");
        }
    }

    private static String idempotencyKey(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        String key = value.asText();
        if (!value.isTextual() || key.isEmpty() || key.length() > 255) {
            throw ErrorCode.INVALID_REQUEST.exception("idempotency_key must be 1 to 255 characters", "idempotency_key");
        }
        return key;
    }

    private static int maxAttempts(JsonNode value) {
        if (value == null || value.isNull()) {
            return 3;
        }
        if (!value.isIntegralNumber() || value.asInt() < 1 || value.asInt() > 10) {
            throw ErrorCode.INVALID_REQUEST.exception("max_attempts must be an integer from 1 to 10", "max_attempts");
        }
        return value.asInt();
    }
}
