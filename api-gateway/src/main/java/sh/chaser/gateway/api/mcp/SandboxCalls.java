package sh.chaser.gateway.api.mcp;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import sh.chaser.gateway.api.mcp.SessionTargets.Target;

/** The data-plane calls the sandbox tools make: exec, download, upload; a refusal fails with the API's code. */
@ApplicationScoped
class SandboxCalls {

    @Inject
    SelfApi api;

    /** Runs one command in the target, in the foreground. */
    Future<JsonObject> exec(Caller caller, Target target, JsonObject exec) {
        return api.json(caller, HttpMethod.POST, "/v1/sessions/" + target.sessionId() + "/exec", exec)
                .compose(r -> r.ok() ? Future.succeededFuture(r.json()) : Future.failedFuture(ToolFailure.of(r)));
    }

    Future<Buffer> download(Caller caller, Target target, String path) {
        return api.send(caller, HttpMethod.GET,
                "/v1/sessions/" + target.sessionId() + "/download?path=" + Args.query(path), null, null)
                .compose(r -> r.ok() ? Future.succeededFuture(r.body()) : Future.failedFuture(ToolFailure.of(r)));
    }

    Future<JsonObject> upload(Caller caller, Target target, String path, Buffer content) {
        return api.send(caller, HttpMethod.PUT,
                "/v1/sessions/" + target.sessionId() + "/upload?path=" + Args.query(path), content,
                "application/octet-stream")
                .compose(r -> r.ok() ? Future.succeededFuture(r.json()) : Future.failedFuture(ToolFailure.of(r)));
    }
}
