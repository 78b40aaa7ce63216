package sh.chaser.agent.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import sh.chaser.agent.application.ForegroundExec;
import sh.chaser.agent.application.Sandboxes;
import sh.chaser.agent.domain.SandboxSpec;

/**
 * {@code POST self-test}: what a program in the sandbox finds there (working directory, PATH,
 * shell, versions of common tools) and who it is ({@code chaser}: session, workspace, its root),
 * learned by running a small script inside the sandbox as any command would run.
 */
@ApplicationScoped
public class SelfTestRoutes {

    static final String[] TOOLS = { "node", "npm", "python3", "pip3", "git", "bash", "curl", "java", "make", "gcc" };
    private static final Pattern VERSION = Pattern.compile("\\d+(\\.\\d+)+");
    private static final String SCRIPT = """
            printf 'cwd\\t%s\\n' "$(pwd)"
            printf 'path\\t%s\\n' "$PATH"
            printf 'shell\\t%s\\n' "$(command -v bash || command -v sh)"
            for t in @TOOLS@; do
              if command -v "$t" >/dev/null 2>&1; then
                v=$("$t" --version 2>&1 </dev/null | { IFS= read -r l; printf '%s' "$l"; })
                printf 'tool\\t%s\\t%s\\n' "$t" "$v"
              else
                printf 'tool\\t%s\\t\\n' "$t"
              fi
            done
            """.replace("@TOOLS@", String.join(" ", TOOLS));

    @Inject
    ForegroundExec exec;
    @Inject
    Sandboxes sandboxes;

    void install(@Observes Router router) {
        router.post(sh.chaser.contracts.DataPlaneContract.SESSIONS_PATH + ":sid/self-test").handler(ctx -> {
            String sessionId = CommandRoutes.sid(ctx);
            ctx.vertx().executeBlocking(() -> sandboxes.running(sessionId).spec(), false)
                    .compose(spec -> exec.start(sessionId, SCRIPT, sh.chaser.agent.domain.SessionEnvironment.WORKSPACE,
                            Map.of(), 30_000, 1 << 20)
                            .map(result -> report(new String(result.output(), StandardCharsets.UTF_8), spec)))
                    .onSuccess(report -> Answers.json(ctx, 200, report))
                    .onFailure(failure -> Answers.failure(ctx, failure));
        });
    }

    static JsonObject report(String output, SandboxSpec spec) {
        JsonObject report = new JsonObject();
        JsonObject tools = new JsonObject();
        for (String line : output.split("\n")) {
            String[] f = line.split("\t", -1);
            switch (f[0]) {
                case "cwd" -> report.put("cwd", f.length > 1 ? f[1] : null);
                case "path" -> report.put("path_entries",
                        new JsonArray(java.util.List.of(f.length > 1 ? f[1].split(":") : new String[0])));
                case "shell" -> report.put("shell", f.length > 1 && !f[1].isEmpty() ? f[1] : null);
                case "tool" -> tools.put(f[1], f.length > 2 && !f[2].isEmpty() ? version(f[2]) : null);
                default -> {
                }
            }
        }
        report.put("tools", tools);
        report.put("chaser", new JsonObject().put("session_id", spec.sessionId())
                .put("workspace_id", spec.ephemeral() ? null : spec.workspaceId())
                .put("workspace_root", sh.chaser.agent.domain.SessionEnvironment.WORKSPACE));
        return report;
    }

    private static String version(String line) {
        Matcher m = VERSION.matcher(line);
        return m.find() ? m.group() : line.strip();
    }
}
