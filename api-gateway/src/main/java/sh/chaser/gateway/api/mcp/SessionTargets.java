package sh.chaser.gateway.api.mcp;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The running session a tool works on: the one named by {@code session_id}; else the session of the
 * named {@code workspace} (booted or reused: create is idempotent per workspace); else a fresh
 * ephemeral one when {@code ephemeral} is true; else the session of the account's default workspace
 * of that type (PUT /v1/workspaces/default); else, with no default set, of the caller's MCP workspace
 * of that type ({@code mcp-sandbox} or {@code mcp-browser}), created on first use.
 */
@ApplicationScoped
class SessionTargets {

    static final String DEFAULT_SANDBOX_WORKSPACE = "mcp-sandbox";
    static final String DEFAULT_BROWSER_WORKSPACE = "mcp-browser";
    private static final long BOOT_DEADLINE_MS = 180_000;
    private static final long POLL_MS = 500;

    @Inject
    SelfApi api;
    @Inject
    Vertx vertx;

    /** A session and its workspace (null for an ephemeral one). */
    record Target(String sessionId, String workspaceId) {

        JsonObject describe() {
            return new JsonObject().put("session_id", sessionId).put("workspace_id", workspaceId);
        }
    }

    Future<Target> resolve(Caller caller, Args args, String sessionType) {
        if (args.has("session_id")) {
            String id = args.segment("session_id");
            return api.json(caller, HttpMethod.GET, "/v1/sessions/" + id, null).compose(r -> running(caller, r));
        }
        JsonObject create = new JsonObject().put("session_type", sessionType);
        if (args.has("workspace")) {
            return create(caller, create.put("workspace", args.segment("workspace")));
        }
        if (args.bool("ephemeral")) {
            create.put("ephemeral", true);
            if (args.has("image")) {
                create.put("image", args.required("image"));
            }
            return create(caller, create);
        }
        return api.json(caller, HttpMethod.GET, "/v1/workspaces/default?session_type=" + sessionType, null)
                .compose(r -> {
                    var set = r.ok() ? r.json().getJsonArray("data") : null;
                    if (set != null && !set.isEmpty()) {
                        String id = set.getJsonObject(0).getJsonObject("workspace").getString("id");
                        return create(caller, create.copy().put("workspace", id));
                    }
                    return mcpWorkspace(caller, create, sessionType);
                });
    }

    private Future<Target> mcpWorkspace(Caller caller, JsonObject create, String sessionType) {
        String workspace = "browser".equals(sessionType) ? DEFAULT_BROWSER_WORKSPACE : DEFAULT_SANDBOX_WORKSPACE;
        return create(caller, create.copy().put("workspace", workspace)).recover(failure -> {
            if (!(failure instanceof ToolFailure f) || !"workspace_not_found".equals(f.code())) {
                return Future.failedFuture(failure);
            }
            JsonObject workspaceBody = new JsonObject().put("session_type", sessionType).put("name", workspace);
            return api.json(caller, HttpMethod.POST, "/v1/workspaces", workspaceBody).compose(r -> {
                if (!r.ok() && !"workspace_name_taken".equals(r.code())) {
                    return Future.failedFuture(ToolFailure.of(r));
                }
                return create(caller, create.copy().put("workspace", workspace));
            });
        });
    }

    private Future<Target> create(Caller caller, JsonObject body) {
        return api.json(caller, HttpMethod.POST, "/v1/sessions", body).compose(r -> running(caller, r));
    }

    /** The session once it runs: a boot that outlasted the create's deadline is awaited here, within ours. */
    private Future<Target> running(Caller caller, Reply reply) {
        if (!reply.ok()) {
            return Future.failedFuture(ToolFailure.of(reply));
        }
        Promise<Target> done = Promise.promise();
        await(caller, reply.json(), System.currentTimeMillis() + BOOT_DEADLINE_MS, done);
        return done.future();
    }

    private void await(Caller caller, JsonObject session, long deadline, Promise<Target> done) {
        String status = session.getString("status");
        String id = session.getString("id");
        if ("running".equals(status)) {
            done.complete(new Target(id, session.getString("workspace_id")));
            return;
        }
        if (!"creating".equals(status)) {
            done.fail(new ToolFailure("session_not_running", "session " + id + " is " + status));
            return;
        }
        if (System.currentTimeMillis() > deadline) {
            done.fail(new ToolFailure("session_not_running", "session " + id + " is still booting; call again"));
            return;
        }
        vertx.setTimer(POLL_MS, t -> api.json(caller, HttpMethod.GET, "/v1/sessions/" + id, null).onComplete(r -> {
            if (r.failed()) {
                done.fail(r.cause());
            } else if (!r.result().ok()) {
                done.fail(ToolFailure.of(r.result()));
            } else {
                await(caller, r.result().json(), deadline, done);
            }
        }));
    }
}
