package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import sh.chaser.testhost.NeighbourHost;

/**
 * Jobs (docs/jobs.md) through the gateway: retried pipelines, run_at, idempotency keys, a
 * session-service SIGKILLed mid-job, browser.scrape, and the refusals.
 */
@PlatformHost
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private LocalPlatform platform;
    private Api api;
    private String key;
    private Sessions sessions;

    @BeforeAll
    void up() throws Exception {
        platform = SharedPlatform.get();
        api = new Api(platform.apiUrl());
        key = SharedPlatform.credentials().get("CHASER_API_KEY");
        sessions = new Sessions(api, key);
    }

    private Api.Reply submit(String body) throws Exception {
        return api.call("POST", "/v1/jobs", key, null, body);
    }

    private JsonNode job(String id) throws Exception {
        return api.get("/v1/jobs/" + id, key).body();
    }

    private JsonNode finished(String id, int seconds) throws Exception {
        return Await.until(() -> job(id), j -> j.path("finished_at").isTextual(), seconds, "job " + id + " ends");
    }

    /** The job's audit entries' actions. */
    private List<String> audited(String id) throws Exception {
        List<String> actions = new ArrayList<>();
        api.get("/v1/audit/events?resource_id=" + id + "&limit=100", key).body().path("data")
                .forEach(e -> actions.add(e.path("action").asText()));
        return actions;
    }

    @Test
    void aPipelineWhoseSecondStepFailsOnceSucceedsOnItsRetry() throws Exception {
        String workspace = sessions.workspace("sandbox");
        var queued = submit("{\"kind\":\"pipeline.run\",\"input\":{\"workspace\":\"" + workspace + "\",\"steps\":["
                + "{\"command\":\"echo ran >> /workspace/first\"},"
                + "{\"command\":\"test -f /workspace/seen || { touch /workspace/seen; echo not yet; exit 3; }\"},"
                + "{\"command\":\"wc -l < /workspace/first\"}]}}");
        assertEquals(202, queued.status(), queued.body().toString());
        assertEquals("queued", queued.body().path("status").asText());
        assertEquals(3, queued.body().path("max_attempts").asInt());
        JsonNode done = finished(queued.body().path("id").asText(), 300);
        assertEquals("succeeded", done.path("status").asText(), done.toString());
        assertEquals(2, done.path("attempts").asInt(), done.toString());
        JsonNode steps = done.path("result").path("steps");
        assertEquals(3, steps.size(), done.toString());
        assertEquals("2\n", steps.get(2).path("output").asText(), "the retry ran the pipeline again from its start");
        assertTrue(done.path("error").isNull(), done.toString());
        List<String> expected = new ArrayList<>(List.of("job.queued", "job.started", "job.retrying", "job.started",
                "job.succeeded"));
        java.util.Collections.sort(expected);
        Await.until(() -> {
            List<String> actions = audited(done.path("id").asText());
            java.util.Collections.sort(actions);
            return actions.equals(expected);
        }, 60, "the audit trail has the job's five events");
    }

    @Test
    void aJobWithRunAtInTheFutureWaitsForIt() throws Exception {
        Instant runAt = Instant.now().plusSeconds(15);
        var queued = submit("{\"kind\":\"sandbox.exec\",\"run_at\":\"" + runAt + "\",\"input\":{\"ephemeral\":true,"
                + "\"command\":\"date +%s\"}}");
        assertEquals(202, queued.status(), queued.body().toString());
        String id = queued.body().path("id").asText();
        JsonNode waiting = job(id);
        assertEquals("queued", waiting.path("status").asText());
        assertEquals(0, waiting.path("attempts").asInt());
        JsonNode done = finished(id, 240);
        assertEquals("succeeded", done.path("status").asText(), done.toString());
        long ranAt = Long.parseLong(done.path("result").path("output").asText().strip());
        assertTrue(ranAt >= runAt.getEpochSecond(), "the command ran at " + ranAt + ", not before " + runAt);
        assertFalse(Instant.parse(done.path("started_at").asText()).isBefore(runAt), done.toString());
    }

    @Test
    void theSameIdempotencyKeyYieldsOneJobAndBadInputQueuesNothing() throws Exception {
        String body = "{\"kind\":\"session.bulk_terminate\",\"idempotency_key\":\"nightly-" + Instant.now()
                + "\",\"run_at\":\"" + Instant.now().plusSeconds(3600) + "\",\"input\":{\"ids\":[]}}";
        var first = submit(body);
        var second = submit(body);
        assertEquals(202, first.status(), first.body().toString());
        assertEquals(200, second.status(), second.body().toString());
        String id = first.body().path("id").asText();
        assertEquals(id, second.body().path("id").asText());
        JsonNode listed = api.get("/v1/jobs?kind=session.bulk_terminate&status=queued&limit=500", key).body();
        long same = 0;
        for (JsonNode j : listed.path("data")) {
            same += j.path("idempotency_key").equals(first.body().path("idempotency_key")) ? 1 : 0;
        }
        assertEquals(1, same, listed.toString());
        var cancelled = api.call("POST", "/v1/jobs/" + id + "/cancel", key, null, null);
        assertEquals("cancelled", cancelled.body().path("status").asText(), cancelled.body().toString());
        assertEquals("job_finished", Sessions.code(api.call("POST", "/v1/jobs/" + id + "/cancel", key, null, null)));

        int before = api.get("/v1/jobs?limit=500", key).body().path("data").size();
        assertEquals("invalid_request", Sessions.code(submit("{\"kind\":\"rm.rf\",\"input\":{}}")));
        var badInput = submit("{\"kind\":\"pipeline.run\",\"input\":{\"steps\":[{\"command\":\"\"}]}}");
        assertEquals(400, badInput.status());
        assertEquals("input.steps[0].command", badInput.body().path("error").path("field").asText());
        assertEquals("invalid_request", Sessions.code(submit("{\"kind\":\"sandbox.exec\",\"max_attempts\":11,"
                + "\"input\":{\"command\":\"true\"}}")));
        String reader = api.call("POST", "/v1/api-keys", key, null,
                "{\"name\":\"jobs-reader\",\"scopes\":[\"sessions.read\",\"sessions.write\"]}").body().path("key")
                .asText();
        var lacking = api.call("POST", "/v1/jobs", reader, null,
                "{\"kind\":\"sandbox.exec\",\"input\":{\"command\":\"true\"}}");
        assertEquals(403, lacking.status(), lacking.body().toString());
        assertTrue(lacking.body().path("error").path("message").asText().contains("exec.write"));
        assertEquals(before, api.get("/v1/jobs?limit=500", key).body().path("data").size(), "nothing was queued");
        // the control: the same key may submit a kind its scopes cover
        assertEquals(202, api.call("POST", "/v1/jobs", reader, null, "{\"kind\":\"session.bulk_terminate\","
                + "\"run_at\":\"" + Instant.now().plusSeconds(3600) + "\",\"input\":{\"ids\":[]}}").status());
        assertEquals("job_not_found", Sessions.code(api.get("/v1/jobs/" + java.util.UUID.randomUUID(), key)));
        JsonNode kinds = api.get("/v1/jobs/kinds", key).body();
        assertEquals(8, kinds.size(), kinds.toString());
        assertTrue(kinds.toString().contains("\"input_schema\""), kinds.toString());
    }

    @Test
    void aJobsEventsReachAWebhook() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(0)) {
            var hook = api.call("POST", "/v1/webhooks", key, null, "{\"url\":\"" + receiver.url()
                    + "\",\"events\":[\"job.queued\",\"job.started\",\"job.succeeded\"]}");
            assertEquals(201, hook.status(), hook.body().toString());
            receiver.secret.set(hook.body().path("secret").asText());
            try {
                String id = submit("{\"kind\":\"session.bulk_terminate\",\"input\":{\"ids\":[]}}").body()
                        .path("id").asText();
                assertEquals("succeeded", finished(id, 120).path("status").asText());
                Await.until(() -> receiver.accepted.values().stream()
                        .filter(e -> e.path("subject").asText().equals(id)).map(e -> e.path("type").asText())
                        .collect(java.util.stream.Collectors.toSet())
                        .equals(java.util.Set.of("job.queued", "job.started", "job.succeeded")), 180,
                        "the webhook receives the job's three events");
                JsonNode succeeded = receiver.accepted.values().stream()
                        .filter(e -> e.path("type").asText().equals("job.succeeded")
                                && e.path("subject").asText().equals(id))
                        .findFirst().orElseThrow();
                assertEquals("session.bulk_terminate", succeeded.path("data").path("kind").asText());
                assertEquals(1, succeeded.path("data").path("attempts").asInt(), succeeded.toString());
            } finally {
                api.call("DELETE", "/v1/webhooks/" + hook.body().path("id").asText(), key, null, null);
            }
        }
    }

    @Test
    void sessionServiceKilledMidJobLeavesTheJobToFinishOnce() throws Exception {
        java.util.Set<String> before = running();
        var queued = submit("{\"kind\":\"pipeline.run\",\"input\":{\"steps\":["
                + "{\"command\":\"echo start >> /tmp/runs; sleep 30; echo end >> /tmp/runs\"}]}}");
        String id = queued.body().path("id").asText();
        // the attempt's ephemeral sandbox, once its step has started
        String first = Await.until(() -> {
            java.util.Set<String> now = running();
            now.removeAll(before);
            for (String s : now) {
                var r = sessions.exec(s, "cat /tmp/runs 2>/dev/null");
                if (r != null && r.status() == 200 && r.body().path("output").asText().contains("start")) {
                    return s;
                }
            }
            return null;
        }, java.util.Objects::nonNull, 180, "the job's step runs in a sandbox of its own");
        platform.kill("session-service");
        var restarted = platform.run("up");
        assertEquals(0, restarted.exit(), restarted.output());
        JsonNode done = finished(id, 240);
        assertEquals("succeeded", done.path("status").asText(), done.toString());
        assertEquals(2, done.path("attempts").asInt(), "the revived execution is the next attempt: " + done);
        Await.until(() -> audited(id).contains("job.succeeded"), 60, "the success is audited");
        assertEquals(1, audited(id).stream().filter("job.succeeded"::equals).count(), audited(id).toString());
        assertFalse(done.path("result").path("session_id").asText().equals(first), done.toString());
        assertEquals("terminated", sessions.get(first).path("status").asText(),
                "the sandbox of the attempt cut off was ended by the next one");
        assertEquals("terminated", sessions.get(done.path("result").path("session_id").asText()).path("status")
                .asText(), "the second attempt's sandbox ended with it");
    }

    /** The running sandbox sessions' ids. */
    private java.util.Set<String> running() throws Exception {
        java.util.Set<String> ids = new java.util.HashSet<>();
        api.get("/v1/sessions?status=running&session_type=sandbox&limit=500", key).body().path("data")
                .forEach(s -> ids.add(s.path("id").asText()));
        return ids;
    }

    @Test
    void browserScrapeReadsAPageAndItsScreenshot() throws Exception {
        try (NeighbourHost web = new NeighbourHost("jobs-web", ContainmentIT.ALLOWED_NETWORK);
                HtmlServer page = new HtmlServer("jobs-web", web.address(), 8652,
                        "<html><head><title>Job page</title></head><body><h1 id=\"t\">Scraped by a job</h1>"
                                + "</body></html>")) {
            var queued = submit("{\"kind\":\"browser.scrape\",\"input\":{\"url\":\"http://" + web.address()
                    + ":8652/\",\"selector\":\"#t\",\"screenshot\":true,\"timeout_ms\":120000}}");
            assertEquals(202, queued.status(), queued.body().toString());
            JsonNode done = finished(queued.body().path("id").asText(), 300);
            assertEquals("succeeded", done.path("status").asText(), done.toString());
            JsonNode result = done.path("result");
            assertEquals("Job page", result.path("title").asText(), result.toString());
            assertEquals("Scraped by a job", result.path("text").asText());
            assertTrue(result.path("html").asText().startsWith("<h1 id=\"t\">"), result.toString());
            byte[] png = java.util.Base64.getDecoder().decode(result.path("screenshot_png").asText());
            assertEquals((byte) 0x89, png[0]);
            assertEquals("PNG", new String(png, 1, 3));
            assertEquals("terminated", sessions.get(result.path("session_id").asText()).path("status").asText(),
                    "the job's browser ended with it");
            // the control: a page nobody serves fails the attempt with the browser's own error
            var missing = submit("{\"kind\":\"browser.scrape\",\"max_attempts\":1,\"input\":{\"url\":\"http://"
                    + web.address() + ":8653/\"}}");
            JsonNode failed = finished(missing.body().path("id").asText(), 300);
            assertEquals("failed", failed.path("status").asText(), failed.toString());
            assertEquals("browser_call_failed", failed.path("error").path("code").asText(), failed.toString());
            assertTrue(JSON.writeValueAsString(failed).contains("ERR_CONNECTION_REFUSED"), failed.toString());
        }
    }
}
