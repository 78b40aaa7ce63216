package sh.chaser.gateway.api.mcp;

import static sh.chaser.gateway.api.mcp.Schemas.bool;
import static sh.chaser.gateway.api.mcp.Schemas.integer;
import static sh.chaser.gateway.api.mcp.Schemas.object;
import static sh.chaser.gateway.api.mcp.Schemas.string;

import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import sh.chaser.gateway.api.mcp.Schemas.Property;

/** {@code terminal} and the structured file tools, on a sandbox session resolved by {@link SessionTargets}. */
@ApplicationScoped
class SandboxTools {

    @Inject
    SandboxCalls calls;
    @Inject
    SessionTargets targets;
    @Inject
    SandboxFiles files;

    static List<Property> targetProperties() {
        return List.of(
                string("session_id", "a running sandbox session to use"),
                string("workspace", "a sandbox workspace (name or id) whose session to boot or reuse"),
                bool("ephemeral", "boot a fresh disposable sandbox (ends on its idle timeout or when terminated)"),
                string("image", "the image of an ephemeral sandbox"));
    }

    static Property[] with(Property... own) {
        List<Property> all = new ArrayList<>(List.of(own));
        all.addAll(targetProperties());
        return all.toArray(Property[]::new);
    }

    List<McpTool> tools() {
        String where = " Without session_id, workspace or ephemeral it uses the sandbox of your workspace '"
                + SessionTargets.DEFAULT_SANDBOX_WORKSPACE + "' (created on first use). The result names the"
                + " session_id and workspace_id: pass session_id to stay in the same sandbox.";
        return List.of(
                McpTool.json(Tool.builder().name("terminal").title("Run a command in a sandbox")
                        .description("Runs a shell command in a Linux sandbox and returns its exit code and combined"
                                + " output." + where)
                        .inputSchema(object(List.of(), with(string("command", "the shell command"),
                                string("cmd", "the same as command"),
                                string("cwd", "working directory (relative to the workspace)"),
                                integer("timeout_ms", "kill the command after this long (at most 15 minutes)", 1,
                                        900_000))))
                        .build(), this::terminal),
                McpTool.json(Tool.builder().name("read_file").title("Read a file in a sandbox")
                        .description("Reads a file (at most 16 MiB); UTF-8 text as is, anything else base64." + where)
                        .inputSchema(object(List.of("path"), with(string("path", "the file's path")))).build(),
                        files::read),
                McpTool.json(Tool.builder().name("write_file").title("Write a file in a sandbox")
                        .description("Creates or replaces a file (at most 16 MiB), creating its directories." + where)
                        .inputSchema(object(List.of("path", "content"), with(string("path", "the file's path"),
                                string("content", "the new content"),
                                Schemas.choice("encoding", "how content is written (default utf-8)",
                                        List.of("utf-8", "base64")))))
                        .build(), files::write),
                McpTool.json(Tool.builder().name("apply_edit").title("Edit a file in a sandbox")
                        .description("Replaces old_text with new_text in a file; old_text must occur exactly once"
                                + " unless replace_all is true." + where)
                        .inputSchema(object(List.of("path", "old_text", "new_text"), with(
                                string("path", "the file's path"), string("old_text", "the text to replace"),
                                string("new_text", "its replacement"),
                                bool("replace_all", "replace every occurrence"))))
                        .build(), files::edit),
                McpTool.json(Tool.builder().name("list_files").title("List files in a sandbox")
                        .description("Lists a directory: name, type (file, directory, symlink, other) and size."
                                + where)
                        .inputSchema(object(List.of(), with(string("path", "the directory (default .)"),
                                integer("depth", "how many levels down (default 1)", 1, 10))))
                        .build(), files::list));
    }

    private Future<JsonObject> terminal(Caller caller, Args args) {
        String command = args.has("command") ? args.required("command") : args.string("cmd");
        if (command == null || command.isEmpty()) {
            throw ToolFailure.invalid("command (or cmd) is required");
        }
        JsonObject exec = new JsonObject().put("command", command);
        if (args.has("cwd")) {
            exec.put("cwd", args.required("cwd"));
        }
        if (args.has("timeout_ms")) {
            exec.put("timeout_ms", args.integer("timeout_ms"));
        }
        return targets.resolve(caller, args, "sandbox").compose(target -> calls.exec(caller, target, exec)
                .map(result -> target.describe().mergeIn(result)));
    }
}
