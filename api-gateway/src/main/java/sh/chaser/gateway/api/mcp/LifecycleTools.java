package sh.chaser.gateway.api.mcp;

import static sh.chaser.gateway.api.mcp.Schemas.bool;
import static sh.chaser.gateway.api.mcp.Schemas.choice;
import static sh.chaser.gateway.api.mcp.Schemas.integer;
import static sh.chaser.gateway.api.mcp.Schemas.object;
import static sh.chaser.gateway.api.mcp.Schemas.string;

import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.Map;

/** The lifecycle tools: sessions and workspaces, each one call of the public API. */
final class LifecycleTools {

    private static final List<String> TYPES = List.of("sandbox", "browser");
    private static final List<String> STATUSES = List.of("creating", "running", "terminated");

    private LifecycleTools() {}

    static final List<ApiTool> ALL = List.of(
            new ApiTool("chaser_list_sessions", "Lists the account's sessions, newest first.", HttpMethod.GET,
                    "/v1/sessions", List.of("status", "session_type", "workspace", "limit", "cursor"), Map.of(),
                    object(List.of(), choice("status", "only sessions in this status", STATUSES),
                            choice("session_type", "only this type", TYPES),
                            string("workspace", "only sessions of this workspace (name or id)"),
                            integer("limit", "at most this many", 1, 500),
                            string("cursor", "the next_cursor of a previous page"))),
            new ApiTool("chaser_get_session", "One session: status, endpoints, workspace.", HttpMethod.GET,
                    "/v1/sessions/{session_id}", List.of(), Map.of(),
                    object(List.of("session_id"), string("session_id", "the session's id"))),
            new ApiTool("chaser_create_sandbox_session", "Boots a sandbox session on a workspace (or reuses its"
                    + " running one), or a disposable one with ephemeral (and image).", HttpMethod.POST,
                    "/v1/sessions", List.of(), Map.of("session_type", "sandbox"),
                    object(List.of(), string("workspace", "a sandbox workspace (name or id)"),
                            bool("ephemeral", "a disposable sandbox without a workspace"),
                            string("image", "the image of an ephemeral sandbox"))),
            new ApiTool("chaser_terminate_session", "Terminates a session. With open connections (a terminal, an"
                    + " exec stream, CDP) it is refused unless force is true.", HttpMethod.DELETE,
                    "/v1/sessions/{session_id}", List.of("force"), Map.of(),
                    object(List.of("session_id"), string("session_id", "the session's id"),
                            bool("force", "terminate even with open connections"))),
            new ApiTool("chaser_list_workspaces", "Lists the account's workspaces (persistent disks), newest first.",
                    HttpMethod.GET, "/v1/workspaces", List.of("limit", "cursor"), Map.of(),
                    object(List.of(), integer("limit", "at most this many", 1, 500),
                            string("cursor", "the next_cursor of a previous page"))),
            new ApiTool("chaser_create_workspace", "Creates a workspace, a persistent disk for sessions of one type.",
                    HttpMethod.POST, "/v1/workspaces", List.of(), Map.of(),
                    object(List.of("session_type"), choice("session_type", "what sessions it serves", TYPES),
                            string("name", "1-64 letters, digits, '-', '_', '.'; generated when omitted"),
                            string("image", "sandbox only: the image its sessions boot"))),
            new ApiTool("chaser_list_snapshots", "Lists a workspace's snapshots.", HttpMethod.GET,
                    "/v1/workspaces/{workspace}/snapshots", List.of(), Map.of(),
                    object(List.of("workspace"), string("workspace", "the workspace (name or id)"))),
            new ApiTool("chaser_snapshot_workspace", "Takes a snapshot (a restore point) of a workspace's disk."
                    + " Refused while a session runs on it unless force is true (which terminates it).",
                    HttpMethod.POST, "/v1/workspaces/{workspace}/snapshots", List.of(), Map.of(),
                    object(List.of("workspace", "name"), string("workspace", "the workspace (name or id)"),
                            string("name", "the snapshot's name"), bool("force", "terminate a running session first"))),
            new ApiTool("chaser_restore_workspace", "Restores a workspace's disk to a snapshot, exactly. Refused while"
                    + " a session runs on it unless force is true (which terminates it).", HttpMethod.POST,
                    "/v1/workspaces/{workspace}/snapshots/{name}/restore", List.of(), Map.of(),
                    object(List.of("workspace", "name"), string("workspace", "the workspace (name or id)"),
                            string("name", "the snapshot's name"),
                            bool("force", "terminate a running session first"))));
}
