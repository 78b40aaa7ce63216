package sh.chaser.gateway.api.mcp;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Chrome DevTools Protocol connection to a browser session, opened through the gateway with the
 * caller's credential (so it holds a connection lease like any CDP client): commands with their
 * answers, and one-shot waits for events, each bounded in time.
 */
final class Cdp {

    static final long ANSWER_MS = 30_000;
    private final Vertx vertx;
    private final WebSocket socket;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, Promise<JsonObject>> answers = new ConcurrentHashMap<>();
    private final Map<String, Promise<JsonObject>> events = new ConcurrentHashMap<>();

    private Cdp(Vertx vertx, WebSocket socket) {
        this.vertx = vertx;
        this.socket = socket;
        socket.textMessageHandler(this::received);
        socket.closeHandler(v -> {
            ToolFailure closed = new ToolFailure("host_unavailable", "the browser's DevTools connection closed");
            answers.values().forEach(p -> p.tryFail(closed));
            events.values().forEach(p -> p.tryComplete(null));
        });
    }

    static Future<Cdp> open(SelfApi api, Vertx vertx, Caller caller, String sessionId) {
        return api.webSocket(caller, "/v1/sessions/" + sessionId + "/devtools/browser").map(ws -> new Cdp(vertx, ws))
                .recover(failure -> Future.failedFuture(new ToolFailure("host_unavailable",
                        "the browser's DevTools could not be reached: " + failure.getMessage())));
    }

    /** Sends {@code method} (to the page of {@code target}, or to the browser when null) and awaits its result. */
    Future<JsonObject> call(String method, JsonObject params, String target) {
        long id = ids.incrementAndGet();
        Promise<JsonObject> answer = Promise.promise();
        answers.put(id, answer);
        long timer = vertx.setTimer(ANSWER_MS, t -> answer.tryFail(new ToolFailure("host_unavailable",
                "the browser did not answer " + method + " within " + ANSWER_MS / 1000 + " s")));
        JsonObject message = new JsonObject().put("id", id).put("method", method).put("params", params);
        if (target != null) {
            message.put("sessionId", target);
        }
        socket.writeTextMessage(message.encode()).onFailure(answer::tryFail);
        return answer.future().onComplete(done -> {
            vertx.cancelTimer(timer);
            answers.remove(id);
        });
    }

    /** The next {@code method} event of {@code target}, or null when none came within {@code timeoutMs}. */
    Future<JsonObject> next(String method, String target, long timeoutMs) {
        Promise<JsonObject> event = Promise.promise();
        String key = method + "@" + target;
        events.put(key, event);
        long timer = vertx.setTimer(timeoutMs, t -> event.tryComplete(null));
        return event.future().onComplete(done -> {
            vertx.cancelTimer(timer);
            events.remove(key, event);
        });
    }

    void close() {
        socket.close();
    }

    private void received(String text) {
        JsonObject message = new JsonObject(text);
        Long id = message.getLong("id");
        if (id != null) {
            Promise<JsonObject> answer = answers.get(id);
            if (answer == null) {
                return;
            }
            JsonObject error = message.getJsonObject("error");
            if (error != null) {
                answer.tryFail(ToolFailure.invalid("the browser refused it: " + error.getString("message")));
            } else {
                answer.tryComplete(message.getJsonObject("result", new JsonObject()));
            }
            return;
        }
        Promise<JsonObject> event = events.get(message.getString("method") + "@" + message.getString("sessionId"));
        if (event != null) {
            event.tryComplete(message.getJsonObject("params", new JsonObject()));
        }
    }
}
