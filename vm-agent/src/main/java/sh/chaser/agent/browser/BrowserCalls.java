package sh.chaser.agent.browser;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import sh.chaser.agent.application.Sandboxes;
import sh.chaser.agent.domain.AgentError;
import sh.chaser.agent.runtime.ForwardTarget;
import sh.chaser.contracts.DataPlaneContract;

/**
 * DevTools Protocol calls made by the agent for a job (browser.scrape, browser.action): Chromium's
 * port is reachable from the host only, so session-service asks the agent. A page is opened (or an
 * earlier one reused), the calls run on its WebSocket one after another, and the page is closed
 * unless kept. The first CDP error, or the deadline, ends the calls.
 */
@ApplicationScoped
public class BrowserCalls {

    /** A screenshot of a large page in base64 is a few MiB. */
    private static final int MAX_MESSAGE = 32 * 1024 * 1024;

    public record Call(String method, JsonObject params) {}

    public record Answer(List<String> results, String targetId) {}

    @Inject
    Vertx vertx;
    @Inject
    Sandboxes sandboxes;

    private HttpClient client;

    @PostConstruct
    void init() {
        client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(5_000)
                .setMaxWebSocketFrameSize(MAX_MESSAGE).setMaxWebSocketMessageSize(MAX_MESSAGE));
    }

    /** Blocking (the target lookup may wait for the sandbox's lock); run on a worker. */
    public Future<Answer> run(String sessionId, String targetId, List<Call> calls, long timeoutMs, boolean keepPage) {
        ForwardTarget target = sandboxes.forwardTarget(sessionId, DataPlaneContract.DEVTOOLS_PORT);
        Future<String> page = targetId == null || targetId.isEmpty()
                ? newPage(target)
                : Future.succeededFuture(targetId);
        page = page.map(BrowserCalls::checkedTarget);
        Promise<Answer> done = Promise.promise();
        long timer = vertx.setTimer(timeoutMs, t -> done.tryFail(AgentError.INVALID_REQUEST
                .exception("the browser calls did not finish within " + timeoutMs + " ms")));
        page.compose(id -> socket(target, id).compose(ws -> each(ws, calls)
                .eventually(() -> ws.close())
                .eventually(() -> keepPage ? Future.succeededFuture() : closePage(target, id))
                .map(results -> new Answer(results, id))))
                .onComplete(result -> {
                    vertx.cancelTimer(timer);
                    if (result.succeeded()) {
                        done.tryComplete(result.result());
                    } else {
                        done.tryFail(result.cause());
                    }
                });
        return done.future();
    }

    /**
     * A page id goes into a path on the sandbox's DevTools port (through a microVM's guest agent):
     * the caller's, or Chromium's own answer (the browser is the tenant's), so nothing but an id's
     * characters may be in it ({@code ../}, {@code ?} would steer the request elsewhere).
     */
    static String checkedTarget(String id) {
        if (id == null || !id.matches("[A-Za-z0-9_-]{1,64}")) {
            throw AgentError.INVALID_REQUEST.exception("not a DevTools page id: " + id);
        }
        return id;
    }

    private Future<String> newPage(ForwardTarget target) {
        return request(target, HttpMethod.PUT, "/json/new?about:blank")
                .map(body -> new JsonObject(body).getString("id"))
                .recover(failure -> Future.failedFuture(AgentError.PORT_NOT_LISTENING
                        .exception("the browser's DevTools port did not answer: " + failure.getMessage())));
    }

    private Future<Void> closePage(ForwardTarget target, String id) {
        return request(target, HttpMethod.GET, "/json/close/" + id).<Void>mapEmpty().otherwiseEmpty();
    }

    private Future<String> request(ForwardTarget target, HttpMethod method, String uri) {
        RequestOptions options = new RequestOptions().setMethod(method).setHost(target.host())
                .setPort(target.port()).setURI(target.pathPrefix() + uri);
        target.headers().forEach(options::putHeader);
        return client.request(options).compose(r -> r.send()).compose(r -> r.body().map(b -> {
            if (r.statusCode() != 200) {
                throw AgentError.INVALID_REQUEST.exception("DevTools answered " + r.statusCode() + ": " + b);
            }
            return b.toString();
        }));
    }

    private Future<WebSocket> socket(ForwardTarget target, String id) {
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(target.host()).setPort(target.port())
                .setURI(target.pathPrefix() + "/devtools/page/" + id);
        target.headers().forEach(options::addHeader);
        return client.webSocket(options);
    }

    private Future<List<String>> each(WebSocket ws, List<Call> calls) {
        CdpSession session = new CdpSession(ws);
        List<String> results = new ArrayList<>();
        Future<Void> chain = Future.succeededFuture();
        for (Call call : calls) {
            chain = chain.compose(v -> session.call(call.method(), call.params()).map(result -> {
                results.add(result.encode());
                return null;
            }));
        }
        return chain.map(v -> results);
    }
}
