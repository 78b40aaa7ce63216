package sh.chaser.gateway.api.mcp;

import static sh.chaser.gateway.api.mcp.Schemas.bool;
import static sh.chaser.gateway.api.mcp.Schemas.choice;
import static sh.chaser.gateway.api.mcp.Schemas.object;
import static sh.chaser.gateway.api.mcp.Schemas.string;

import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import sh.chaser.gateway.api.mcp.SessionTargets.Target;

/**
 * {@code browser}: one action on the first page of a browser session (Chromium in a sandbox), driven
 * over CDP through the gateway. The page stays open between calls, so navigate, then click, type,
 * read or capture it.
 */
@ApplicationScoped
class BrowserTool {

    static final List<String> ACTIONS = List.of("navigate", "click", "type", "evaluate", "screenshot", "text");
    private static final long LOAD_MS = 30_000;
    private static final String PAGE = "({url: location.href, title: document.title})";

    @Inject
    SelfApi api;
    @Inject
    SessionTargets targets;
    @Inject
    Vertx vertx;

    McpTool tool() {
        return new McpTool(Tool.builder().name("browser").title("Drive a real Chrome")
                .description("Performs one action on a real Chromium page: navigate (url), click (selector), type"
                        + " (selector, text), evaluate (expression, JavaScript; its JSON value is returned), screenshot"
                        + " (PNG) or text (the page's visible text). Without session_id, workspace or ephemeral it"
                        + " uses the browser of your workspace '" + SessionTargets.DEFAULT_BROWSER_WORKSPACE
                        + "' (created on first use; cookies persist). The result names the session_id.")
                .inputSchema(object(List.of("action"), choice("action", "what to do", ACTIONS),
                        string("url", "navigate: the address"), string("selector", "click, type: a CSS selector"),
                        string("text", "type: the text to type"),
                        string("expression", "evaluate: a JavaScript expression (a promise is awaited)"),
                        string("session_id", "a running browser session to use"),
                        string("workspace", "a browser workspace (name or id) whose session to boot or reuse"),
                        bool("ephemeral", "boot a fresh disposable browser")))
                .build(), this::call);
    }

    private Future<CallToolResult> call(Caller caller, Args args) {
        String action = args.required("action");
        if (!ACTIONS.contains(action)) {
            throw ToolFailure.invalid("action must be one of " + ACTIONS);
        }
        String needed = switch (action) {
            case "navigate" -> "url";
            case "click", "type" -> "selector";
            case "evaluate" -> "expression";
            default -> null;
        };
        if (needed != null) {
            args.required(needed);
        }
        if (action.equals("type")) {
            args.required("text");
        }
        return targets.resolve(caller, args, "browser").compose(target -> Cdp.open(api, vertx, caller,
                target.sessionId()).compose(
                        cdp -> page(cdp).compose(page -> act(cdp, page, action, args, target))
                                .onComplete(done -> cdp.close())));
    }

    /** The CDP session of the browser's first page (a blank one opened when there is none). */
    private static Future<String> page(Cdp cdp) {
        return cdp.call("Target.getTargets", new JsonObject(), null).compose(found -> {
            var pages = found.getJsonArray("targetInfos").stream().map(JsonObject.class::cast)
                    .filter(t -> "page".equals(t.getString("type"))).toList();
            return pages.isEmpty()
                    ? cdp.call("Target.createTarget", new JsonObject().put("url", "about:blank"), null)
                            .map(t -> t.getString("targetId"))
                    : Future.succeededFuture(pages.get(0).getString("targetId"));
        }).compose(targetId -> cdp.call("Target.attachToTarget",
                new JsonObject().put("targetId", targetId).put("flatten", true), null))
                .map(attached -> attached.getString("sessionId"));
    }

    private Future<CallToolResult> act(Cdp cdp, String page, String action, Args args, Target target) {
        return switch (action) {
            case "navigate" -> navigate(cdp, page, args.required("url")).compose(v -> describe(cdp, page, target));
            case "click" -> element(cdp, page, args.required("selector"), "e.click()")
                    .compose(v -> describe(cdp, page, target));
            case "type" -> element(cdp, page, args.required("selector"), "e.focus()")
                    .compose(v -> cdp.call("Input.insertText", new JsonObject().put("text", args.required("text")),
                            page))
                    .compose(v -> describe(cdp, page, target));
            case "evaluate" -> evaluate(cdp, page, args.required("expression"))
                    .map(value -> ToolResults.ok(target.describe().put("value", value)));
            case "screenshot" -> cdp.call("Page.captureScreenshot", new JsonObject().put("format", "png"), page)
                    .compose(shot -> evaluate(cdp, page, PAGE).map(info -> ToolResults.image(
                            target.describe().mergeIn(asObject(info)), shot.getString("data"))));
            default -> evaluate(cdp, page, "({url: location.href, title: document.title,"
                    + " text: document.body ? document.body.innerText : ''})")
                    .map(info -> ToolResults.ok(target.describe().mergeIn(asObject(info))));
        };
    }

    /** Navigates and waits for the load event (at most 30 s; a page still loading then is answered as it is). */
    private static Future<Void> navigate(Cdp cdp, String page, String url) {
        return cdp.call("Page.enable", new JsonObject(), page).compose(v -> {
            Future<JsonObject> loaded = cdp.next("Page.loadEventFired", page, LOAD_MS);
            return cdp.call("Page.navigate", new JsonObject().put("url", url), page).compose(nav -> {
                String error = nav.getString("errorText");
                return error != null
                        ? Future.failedFuture(ToolFailure.invalid("navigation to " + url + " failed: " + error))
                        : loaded.<Void>mapEmpty();
            });
        });
    }

    private static Future<Void> element(Cdp cdp, String page, String selector, String act) {
        return evaluate(cdp, page, "(() => { const e = document.querySelector(" + Json.encode(selector)
                + "); if (!e) return false; " + act + "; return true; })()").compose(
                        found -> Boolean.TRUE.equals(found)
                                ? Future.succeededFuture()
                                : Future.failedFuture(ToolFailure.invalid("no element matches " + selector)));
    }

    private Future<CallToolResult> describe(Cdp cdp, String page, Target target) {
        return evaluate(cdp, page, PAGE).map(info -> ToolResults.ok(target.describe().mergeIn(asObject(info))));
    }

    /** The expression's value as JSON (a promise awaited); a thrown exception is the caller's error. */
    private static Future<Object> evaluate(Cdp cdp, String page, String expression) {
        return cdp.call("Runtime.evaluate", new JsonObject().put("expression", expression).put("returnByValue", true)
                .put("awaitPromise", true), page).compose(r -> {
                    JsonObject thrown = r.getJsonObject("exceptionDetails");
                    if (thrown != null) {
                        JsonObject exception = thrown.getJsonObject("exception", new JsonObject());
                        return Future.failedFuture(ToolFailure.invalid("the script threw: "
                                + exception.getString("description", thrown.getString("text", "an exception"))));
                    }
                    return Future.succeededFuture(r.getJsonObject("result", new JsonObject()).getValue("value"));
                });
    }

    private static JsonObject asObject(Object value) {
        return value instanceof JsonObject o ? o : new JsonObject();
    }
}
