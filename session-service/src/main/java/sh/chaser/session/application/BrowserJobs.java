package sh.chaser.session.application;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import sh.chaser.common.grpc.AgentFailure;
import sh.chaser.common.security.Actor;
import sh.chaser.proto.vmagent.v1.BrowserCall;
import sh.chaser.proto.vmagent.v1.BrowserCallsRequest;
import sh.chaser.proto.vmagent.v1.BrowserCallsResponse;
import sh.chaser.session.domain.ErrorCode;
import sh.chaser.session.domain.JobFailure;
import sh.chaser.session.persistence.SessionEntity;

/**
 * browser.scrape and browser.action: an ephemeral browser session whose vm-agent makes the DevTools
 * calls (only the agent reaches Chromium's port), ended when the job's attempt ends.
 */
@ApplicationScoped
public class BrowserJobs {

    /** Title, url, and the selector's text and HTML; null when nothing matches. */
    private static final String EXTRACT = """
            (() => { const e = document.querySelector(%s);
              return JSON.stringify({title: document.title, url: location.href,
                text: e ? e.innerText : null, html: e ? e.outerHTML : null}); })()""";

    @Inject
    ObjectMapper json;
    @Inject
    JobSessions sessions;
    @Inject
    Placement placement;
    @Inject
    VmAgents agents;

    public String scrape(JobContext job, JsonNode input) {
        Actor actor = job.actor();
        Instant deadline = Instant.now().plusMillis(input.path("timeout_ms").asLong(60_000));
        SessionEntity s = sessions.open(job, "browser", null, null);
        try {
            Page page = load(s, input.get("url").asText(), deadline);
            String selector = input.path("selector").asText("body");
            boolean screenshot = input.path("screenshot").asBoolean(false);
            List<BrowserCall> calls = new java.util.ArrayList<>(List.of(evaluate(EXTRACT.formatted(quote(selector)))));
            if (screenshot) {
                calls.add(call("Page.captureScreenshot", "{\"format\":\"png\"}"));
            }
            // the last call on the page closes it: everything is read in it
            var answers = call(page, deadline, false, calls);
            ObjectNode result = (ObjectNode) read(read(answers.getResultsJson(0)).path("result").path("value")
                    .asText("{}"));
            result.put("selector", selector).put("session_id", s.id.toString());
            if (screenshot) {
                result.put("screenshot_png", read(answers.getResultsJson(1)).path("data").asText());
            }
            return result.toString();
        } finally {
            sessions.close(actor, s);
        }
    }

    public String action(JobContext job, JsonNode input) {
        Actor actor = job.actor();
        Instant deadline = Instant.now().plusMillis(input.path("timeout_ms").asLong(60_000));
        SessionEntity s = sessions.open(job, "browser", null, null);
        try {
            Page page = input.hasNonNull("url") ? load(s, input.get("url").asText(), deadline) : new Page(s, "");
            List<BrowserCall> calls = new java.util.ArrayList<>();
            input.get("calls").forEach(c -> calls.add(call(c.get("method").asText(),
                    c.has("params") ? c.get("params").toString() : "{}")));
            var answer = call(page, deadline, false, calls);
            ObjectNode result = json.createObjectNode().put("session_id", s.id.toString());
            var results = result.putArray("results");
            answer.getResultsJsonList().forEach(r -> results.add(read(r)));
            return result.toString();
        } finally {
            sessions.close(actor, s);
        }
    }

    private record Page(SessionEntity session, String targetId) {}

    /** Navigates a new page and waits until its document has loaded. */
    private Page load(SessionEntity s, String url, Instant deadline) {
        var navigated = call(new Page(s, ""), deadline, true, List.of(call("Page.navigate",
                json.createObjectNode().put("url", url).toString())));
        Page page = new Page(s, navigated.getTargetId());
        JsonNode answer = read(navigated.getResultsJson(0));
        if (answer.hasNonNull("errorText")) {
            throw new JobFailure(ErrorCode.BROWSER_CALL_FAILED.code(), "the page did not load: "
                    + answer.get("errorText").asText(), true, null);
        }
        while (true) {
            var ready = call(page, deadline, true, List.of(evaluate(
                    "document.readyState === 'complete' && location.href !== 'about:blank'")));
            if (read(ready.getResultsJson(0)).path("result").path("value").asBoolean()) {
                return page;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JobFailure(ErrorCode.INTERNAL.code(), "interrupted while the page loaded", true, null);
            }
        }
    }

    private BrowserCallsResponse call(Page page, Instant deadline, boolean keepPage, List<BrowserCall> calls) {
        long left = Duration.between(Instant.now(), deadline).toMillis();
        if (left <= 0) {
            throw new JobFailure(ErrorCode.BROWSER_CALL_FAILED.code(), "the browser did not finish in time", true,
                    null);
        }
        String address = placement.address(page.session().hostId).orElseThrow(() -> ErrorCode.HOST_UNAVAILABLE
                .exception("the browser's host is not known")).address();
        try {
            return agents.browserCalls(address, BrowserCallsRequest.newBuilder()
                    .setSessionId(page.session().id.toString()).addAllCalls(calls).setTargetId(page.targetId())
                    .setKeepPage(keepPage).setTimeoutMs(left).build(), Duration.ofMillis(left).plusSeconds(5));
        } catch (AgentFailure f) {
            throw new JobFailure(ErrorCode.BROWSER_CALL_FAILED.code(), f.getMessage(),
                    !String.valueOf(f.getMessage()).contains("CDP error"), null);
        }
    }

    private BrowserCall evaluate(String expression) {
        return call("Runtime.evaluate", json.createObjectNode().put("expression", expression)
                .put("returnByValue", true).toString());
    }

    private static BrowserCall call(String method, String params) {
        return BrowserCall.newBuilder().setMethod(method).setParamsJson(params).build();
    }

    private String quote(String text) {
        try {
            return json.writeValueAsString(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (Exception e) {
            throw new JobFailure(ErrorCode.BROWSER_CALL_FAILED.code(), "the browser answered something unreadable",
                    true, null);
        }
    }
}
