package sh.chaser.agent.api;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import sh.chaser.agent.application.ForegroundExec;
import sh.chaser.agent.audit.ExecRecords;
import sh.chaser.agent.commands.BackgroundCommands;
import sh.chaser.contracts.DataPlaneContract;
import sh.chaser.contracts.ExecRules;

/**
 * A session's exec on the data plane, the fast path: the gateway relays {@code POST .../exec} here
 * and this host runs it through the sandbox's guest agent, foreground (to its end) or in the
 * background. Each exec served is journaled for the audit trail before it is answered ({@link ExecRecords}),
 * with who asked as the gateway says ({@link DataPlaneContract#ACTOR_HEADER}).
 */
@ApplicationScoped
public class ExecRoutes {

    private static final int MAX_OUTPUT = 1 << 20;
    private static final int MAX_BODY = 4 << 20;

    @Inject
    ForegroundExec exec;
    @Inject
    BackgroundCommands commands;
    @Inject
    ExecRecords records;

    void install(@Observes Router router) {
        router.post(DataPlaneContract.SESSIONS_PATH + ":sid/exec").handler(BodyHandler.create().setBodyLimit(MAX_BODY))
                .handler(this::exec);
    }

    private void exec(RoutingContext ctx) {
        String sessionId = CommandRoutes.sid(ctx);
        JsonObject body;
        try {
            body = Answers.body(ctx);
        } catch (RuntimeException e) {
            Answers.failure(ctx, e);
            return;
        }
        Object command = body.getValue("command");
        Object timeout = body.getValue("timeout_ms", ExecRules.DEFAULT_TIMEOUT_MS);
        Map<String, String> env = new HashMap<>();
        Optional<ExecRules.Refusal> refusal = ExecRules.command(command instanceof String s ? s : null)
                .or(() -> timeout instanceof Number n && n.doubleValue() == n.longValue()
                        ? ExecRules.timeout(n.longValue())
                        : Optional.of(new ExecRules.Refusal("timeout_ms must be a whole number", "timeout_ms")))
                .or(() -> strings(body.getValue("env"), env))
                .or(() -> body.getValue("cwd") == null || body.getValue("cwd") instanceof String
                        ? Optional.empty()
                        : Optional.of(new ExecRules.Refusal("cwd must be a string", "cwd")))
                .or(() -> ExecRules.env(env));
        if (refusal.isPresent()) {
            Answers.invalid(ctx, refusal.get().message(), refusal.get().field());
            return;
        }
        String cwd = body.getString("cwd");
        String actor = ctx.request().getHeader(DataPlaneContract.ACTOR_HEADER);
        String requestId = ctx.request().getHeader("X-Request-Id");
        if (Boolean.TRUE.equals(body.getValue("background"))) {
            Answers.blocking(ctx, () -> {
                var started = commands.start(sessionId, (String) command, cwd, env);
                records.started(sessionId, actor, requestId, started.id());
                return started;
            }, started -> Answers.json(ctx, 200,
                    new JsonObject().put("command_id", started.id()).put("pid", started.pid())));
            return;
        }
        long deadline = ((Number) timeout).longValue();
        exec.start(sessionId, (String) command, cwd, env, deadline, MAX_OUTPUT).onComplete(done -> {
            if (done.failed()) {
                Answers.failure(ctx, done.cause());
                return;
            }
            var r = done.result();
            try {
                // a write to the page cache, on the event loop: the record is kept before the answer goes
                records.ran(sessionId, actor, requestId, r.exitCode(), r.timedOut(), r.durationMs());
            } catch (RuntimeException e) {
                Answers.failure(ctx, e);
                return;
            }
            Answers.json(ctx, 200, new JsonObject().put("exit_code", r.exitCode())
                    .put("output", new String(r.output(), StandardCharsets.UTF_8))
                    .put("output_truncated", r.truncated()).put("timed_out", r.timedOut())
                    .put("session_id", sessionId));
        });
    }

    /** Copies a JSON object of strings into {@code into}; a refusal when it is something else. */
    private static Optional<ExecRules.Refusal> strings(Object value, Map<String, String> into) {
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof JsonObject object)) {
            return Optional.of(new ExecRules.Refusal("env must be an object of strings", "env"));
        }
        for (var e : object) {
            if (!(e.getValue() instanceof String s)) {
                return Optional.of(new ExecRules.Refusal("env values are strings of at most 32 KiB", "env"));
            }
            into.put(e.getKey(), s);
        }
        return Optional.empty();
    }
}
