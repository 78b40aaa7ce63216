package sh.chaser.agent.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import sh.chaser.agent.commands.BackgroundCommand;
import sh.chaser.agent.commands.BackgroundCommands;
import sh.chaser.agent.domain.AgentError;

/** Background commands of a sandbox: list, get, stdin, kill, and the output as Server-Sent Events. */
@ApplicationScoped
public class CommandRoutes {

    static final String BASE = sh.chaser.contracts.DataPlaneContract.SESSIONS_PATH + ":sid/commands";
    private static final Set<String> SIGNALS = Set.of("TERM", "KILL", "INT", "HUP", "QUIT", "USR1", "USR2", "STOP",
            "CONT");

    @Inject
    BackgroundCommands commands;
    @Inject
    OutputStreams streams;

    void install(@Observes Router router) {
        router.get(BASE).handler(ctx -> Answers.blocking(ctx, () -> commands.list(sid(ctx)), list -> {
            JsonArray data = new JsonArray();
            list.forEach(c -> data.add(view(c)));
            Answers.json(ctx, 200, new JsonObject().put("data", data).putNull("next_cursor"));
        }));
        router.get(BASE + "/:cid").handler(ctx -> Answers.blocking(ctx, () -> command(ctx),
                c -> Answers.json(ctx, 200, view(c))));
        router.get(BASE + "/:cid/stream").handler(ctx -> Answers.blocking(ctx, () -> command(ctx),
                c -> streams.serve(ctx, c, startOffset(ctx))));
        router.post(BASE + "/:cid/stdin").handler(BodyHandler.create().setBodyLimit(1 << 20))
                .handler(ctx -> Answers.blocking(ctx, () -> {
                    JsonObject body = Answers.body(ctx);
                    BackgroundCommand c = command(ctx);
                    byte[] data = body.getValue("data") instanceof String s
                            ? s.getBytes(StandardCharsets.UTF_8)
                            : new byte[0];
                    if (!c.running()) {
                        throw AgentError.INVALID_REQUEST.exception("the command has exited");
                    }
                    c.writeStdin(data, Boolean.TRUE.equals(body.getValue("eof")));
                    return new JsonObject().put("written", data.length);
                }, written -> Answers.json(ctx, 200, written)));
        router.post(BASE + "/:cid/kill").handler(BodyHandler.create().setBodyLimit(1 << 16))
                .handler(ctx -> Answers.blocking(ctx, () -> {
                    String signal = Answers.body(ctx).getString("signal", "TERM").toUpperCase().replaceFirst("^SIG",
                            "");
                    if (!SIGNALS.contains(signal)) {
                        throw AgentError.INVALID_REQUEST.exception("signal must be one of " + SIGNALS);
                    }
                    BackgroundCommand c = command(ctx);
                    commands.kill(c, signal);
                    return c;
                }, c -> Answers.json(ctx, 202, view(c))));
    }

    private BackgroundCommand command(RoutingContext ctx) {
        return commands.get(sid(ctx), ctx.pathParam("cid"));
    }

    static String sid(RoutingContext ctx) {
        return ctx.pathParam("sid");
    }

    /** {@code ?offset=} wins over {@code Last-Event-ID} (the id of an event is the offset after it). */
    private static long startOffset(RoutingContext ctx) {
        String value = ctx.queryParams().get("offset");
        if (value == null) {
            value = ctx.request().getHeader("Last-Event-ID");
        }
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            long offset = Long.parseLong(value.trim());
            if (offset >= 0) {
                return offset;
            }
        } catch (NumberFormatException e) {
            // falls through
        }
        throw AgentError.INVALID_REQUEST.exception("offset must be a byte offset (0 or more)");
    }

    static JsonObject view(BackgroundCommand c) {
        return new JsonObject().put("command_id", c.id()).put("pid", c.pid()).put("command", c.command())
                .put("status", c.running() ? "running" : "exited").put("exit_code", c.exitCode())
                .put("started_at", c.startedAt().toString())
                .put("finished_at", c.finishedAt() == null ? null : c.finishedAt().toString())
                .put("output_bytes", c.output().size());
    }

    static String base64(byte[] data) {
        return Base64.getEncoder().encodeToString(data);
    }
}
