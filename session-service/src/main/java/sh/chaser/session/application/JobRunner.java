package sh.chaser.session.application;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import sh.chaser.common.api.ServiceException;
import sh.chaser.contracts.ErrorCatalog;
import sh.chaser.session.domain.JobFailure;

/** Runs one attempt of a job by its kind; answers the result as JSON text, or throws a {@link JobFailure}. */
@ApplicationScoped
public class JobRunner {

    @Inject
    ObjectMapper json;
    @Inject
    SandboxJobs sandbox;
    @Inject
    BrowserJobs browser;
    @Inject
    TerminateSession terminator;
    @Inject
    WorkspaceLocks workspaces;

    public String run(JobContext job) {
        JobExecution.Attempt attempt = job.attempt();
        JsonNode input = read(attempt.input());
        var actor = attempt.actor();
        boolean force = input.path("force").asBoolean(false);
        return switch (attempt.kind()) {
            case "sandbox.exec" -> sandbox.exec(job, input);
            case "pipeline.run" -> sandbox.pipeline(job, input);
            case "browser.scrape" -> browser.scrape(job, input);
            case "browser.action" -> browser.action(job, input);
            case "session.terminate" -> {
                var s = terminator.terminate(actor, UUID.fromString(input.get("session_id").asText()), force);
                yield json.createObjectNode().put("session_id", s.id.toString()).put("status", s.status).toString();
            }
            case "session.bulk_terminate" -> write(terminator.bulk(actor, strings(input, "ids"),
                    strings(input, "workspaces"), input.path("all").asBoolean(false),
                    SandboxJobs.text(input, "session_type"), force));
            case "workspace.delete" -> {
                var deleted = workspaces.delete(actor, List.of(input.get("workspace").asText()), force);
                if (!deleted.failed().isEmpty()) {
                    var f = deleted.failed().get(0);
                    throw new JobFailure(f.code(), f.message(),
                            ErrorCatalog.byCode(f.code()).map(ErrorCatalog.Entry::retriable).orElse(false), null);
                }
                yield write(deleted);
            }
            case "workspace.bulk_delete" -> write(workspaces.delete(actor, strings(input, "workspaces"), force));
            default -> throw new ServiceException(sh.chaser.session.domain.ErrorCode.INVALID_REQUEST,
                    "unknown kind " + attempt.kind());
        };
    }

    private static List<String> strings(JsonNode input, String field) {
        List<String> out = new ArrayList<>();
        input.path(field).forEach(v -> out.add(v.asText()));
        return out;
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (Exception e) {
            throw new JobFailure("invalid_request", "the job's input is not JSON", false, null);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
