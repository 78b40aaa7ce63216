package sh.chaser.session.application;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import sh.chaser.common.security.Actor;
import sh.chaser.contracts.ExecRules;
import sh.chaser.session.domain.ErrorCode;
import sh.chaser.session.domain.JobFailure;
import sh.chaser.session.persistence.SessionEntity;

/** sandbox.exec and pipeline.run: commands through the vm-agent, as POST /v1/exec runs them. */
@ApplicationScoped
public class SandboxJobs {

    @Inject
    ObjectMapper json;
    @Inject
    JobSessions sessions;
    @Inject
    RunCommand runner;
    @Inject
    WorkspaceLocks locks;

    public String exec(JobContext job, JsonNode input) {
        Actor actor = job.actor();
        String workspace = text(input, "workspace");
        if (workspace == null && !input.path("ephemeral").asBoolean(false) && text(input, "image") == null) {
            workspace = locks.defaultWorkspace(actor.accountId(), "sandbox").map(UUID::toString).orElse(null);
        }
        SessionEntity s = sessions.open(job, "sandbox", workspace, text(input, "image"));
        try {
            ObjectNode step = step(actor, s, input);
            step.put("session_id", s.id.toString());
            return failedIfNonZero(step, step, "the command");
        } finally {
            sessions.close(actor, s);
        }
    }

    public String pipeline(JobContext job, JsonNode input) {
        Actor actor = job.actor();
        SessionEntity s = sessions.open(job, "sandbox", text(input, "workspace"), text(input, "image"));
        try {
            ObjectNode result = json.createObjectNode().put("session_id", s.id.toString());
            ArrayNode steps = result.putArray("steps");
            int n = 0;
            for (JsonNode spec : input.get("steps")) {
                n++;
                if (job.cancelled().getAsBoolean()) {
                    throw new JobFailure("cancelled", "cancelled before step " + n, false, result.toString());
                }
                ObjectNode step = step(actor, s, spec);
                steps.add(step);
                failedIfNonZero(step, result, "step " + n);
            }
            return result.toString();
        } finally {
            sessions.close(actor, s);
        }
    }

    private ObjectNode step(Actor actor, SessionEntity s, JsonNode spec) {
        long timeout = spec.path("timeout_ms").asLong(ExecRules.DEFAULT_TIMEOUT_MS);
        Map<String, String> env = new LinkedHashMap<>();
        spec.path("env").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        ExecRules.env(env).ifPresent(r -> {
            throw ErrorCode.INVALID_REQUEST.exception(r.message(), "input.env");
        });
        var r = runner.run(actor, s, spec.get("command").asText(), text(spec, "cwd"), env, timeout);
        return json.createObjectNode().put("command", spec.get("command").asText()).put("exit_code", r.exitCode())
                .put("output", r.output()).put("output_truncated", r.outputTruncated()).put("timed_out", r.timedOut());
    }

    /** A command that exited non-zero or timed out fails the attempt, keeping what it printed. */
    private static String failedIfNonZero(ObjectNode step, ObjectNode result, String what) {
        if (step.get("timed_out").asBoolean()) {
            throw new JobFailure(ErrorCode.COMMAND_FAILED.code(), what + " timed out", true, result.toString());
        }
        if (step.get("exit_code").asInt() != 0) {
            throw new JobFailure(ErrorCode.COMMAND_FAILED.code(),
                    what + " exited with " + step.get("exit_code").asInt(),
                    true, result.toString());
        }
        return result.toString();
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
    }
}
