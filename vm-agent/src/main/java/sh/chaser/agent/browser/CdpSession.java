package sh.chaser.agent.browser;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import sh.chaser.agent.domain.AgentError;

/** One DevTools WebSocket: each call's answer is matched by id; events are not needed here and dropped. */
final class CdpSession {

    private final WebSocket ws;
    private final Map<Integer, Promise<JsonObject>> pending = new HashMap<>();
    private int nextId = 1;

    CdpSession(WebSocket ws) {
        this.ws = ws;
        ws.textMessageHandler(this::answer);
        ws.closeHandler(v -> {
            pending.values().forEach(p -> p.tryFail(AgentError.INVALID_REQUEST
                    .exception("the browser closed the DevTools connection")));
            pending.clear();
        });
    }

    Future<JsonObject> call(String method, JsonObject params) {
        int id = nextId++;
        Promise<JsonObject> answer = Promise.promise();
        pending.put(id, answer);
        ws.writeTextMessage(new JsonObject().put("id", id).put("method", method)
                .put("params", params == null ? new JsonObject() : params).encode())
                .onFailure(answer::tryFail);
        return answer.future();
    }

    private void answer(String text) {
        JsonObject message = new JsonObject(text);
        Integer id = message.getInteger("id");
        Promise<JsonObject> waiting = id == null ? null : pending.remove(id);
        if (waiting == null) {
            return;
        }
        JsonObject error = message.getJsonObject("error");
        if (error != null) {
            waiting.tryFail(AgentError.INVALID_REQUEST.exception("CDP error: " + error.getString("message")));
        } else {
            waiting.tryComplete(message.getJsonObject("result", new JsonObject()));
        }
    }
}
