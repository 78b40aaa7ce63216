package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** API.md section 7 webhooks, driven through the gateway against a receiver on loopback. */
@PlatformHost
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhooksIT {

    private LocalPlatform platform;
    private Api api;
    private String key;

    @BeforeAll
    void platform() throws Exception {
        platform = SharedPlatform.get();
        api = new Api(platform.apiUrl());
        key = Accounts.organizationKey(api, SharedPlatform.credentials());
    }

    @Test
    void everyEventIsAcceptedOnceThroughFailuresTimeoutsAndARestartOfTheSender() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(3_000)) {
            var created = api.call("POST", "/v1/webhooks", key, null, "{\"url\":\"" + receiver.url() + "\",\"events\":"
                    + "[\"session.created\",\"session.running\",\"session.terminated\",\"workspace.created\","
                    + "\"workspace.deleted\"],\"description\":\"ci receiver\"}");
            assertEquals(201, created.status(), created.body().toString());
            String secret = created.body().get("secret").asText();
            assertTrue(secret.startsWith("whsec_"), secret);
            receiver.secret.set(secret);
            String webhook = created.body().get("id").asText();
            JsonNode listed = api.get("/v1/webhooks", key).body().get("data").get(0);
            assertEquals(webhook, listed.get("id").asText());
            assertFalse(listed.has("secret"), "the secret is shown once: " + listed);
            assertEquals(secret.substring(0, 10), listed.get("secret_prefix").asText());

            Sessions sessions = new Sessions(api, key);
            String workspace = sessions.workspace("sandbox");
            String session = sessions.started("{\"session_type\":\"sandbox\",\"workspace\":\"" + workspace + "\"}")
                    .get("id").asText();
            assertEquals(200, sessions.terminate(session, false).status());
            assertEquals(204, api.call("DELETE", "/v1/workspaces/" + workspace, key, null, null).status());

            // a 500 and a silence past the timeout are on record; the senders die before the rest (an
            // attempt cut by the kill is not recorded, so they must be seen before it)
            Await.until(() -> deliveries(webhook).stream().anyMatch(d -> d.get("attempts").size() >= 2
                    && d.get("attempts").get(0).get("status_code").asInt() == 500
                    && d.get("attempts").findValues("error").stream()
                            .anyMatch(e -> e.asText().contains("no answer within"))),
                    60, "a 500 and a timed-out attempt are recorded");
            platform.kill("account-service");
            var up = platform.run("up");
            assertEquals(0, up.exit(), up.output());

            Await.until(() -> receiver.accepted.size() == 5 && deliveries(webhook).stream()
                    .allMatch(d -> d.get("status").asText().equals("delivered")), 120,
                    "the receiver accepted five events and every delivery is delivered");
            assertEquals(List.of(), receiver.refusedSignatures, "every attempt was signed with the webhook's secret");
            receiver.acceptedTimes
                    .forEach((id, times) -> assertEquals(1, times.get(), "event " + id + " accepted once"));
            Set<String> types = receiver.accepted.values().stream().map(e -> e.get("type").asText())
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(new TreeSet<>(List.of("session.created", "session.running", "session.terminated",
                    "workspace.created", "workspace.deleted")), types);
            JsonNode terminated = receiver.accepted.values().stream()
                    .filter(e -> e.get("type").asText().equals("session.terminated")).findFirst().orElseThrow();
            assertEquals("1.0", terminated.get("specversion").asText());
            assertEquals(session, terminated.get("subject").asText());
            assertEquals("terminated", terminated.get("data").get("status").asText());
            assertEquals("user", terminated.get("data").get("termination_reason").asText());

            List<JsonNode> all = deliveries(webhook);
            assertEquals(5, all.size(), all.toString());
            for (JsonNode d : all) {
                JsonNode attempts = d.get("attempts");
                assertTrue(attempts.size() >= 3, "failed attempts and the last are recorded: " + d);
                JsonNode last = attempts.get(attempts.size() - 1);
                assertEquals(204, last.get("status_code").asInt(), d.toString());
                assertTrue(last.get("latency_ms").asInt() >= 0, d.toString());
                assertTrue(last.get("error").isNull(), d.toString());
                assertTrue(receiver.accepted.containsKey(d.get("event_id").asText()), d.toString());
                for (int i = 0; i < attempts.size() - 1; i++) {
                    JsonNode failed = attempts.get(i);
                    assertFalse(failed.get("error").isNull(), "a failed attempt says why: " + d);
                }
                assertNotNull(d.get("completed_at").asText(null), d.toString());
            }
            // silence past the timeout is recorded as one
            assertTrue(all.stream().anyMatch(d -> d.get("attempts").findValues("error").stream()
                    .anyMatch(e -> e.asText().contains("no answer within"))), all.toString());
        }
    }

    @Test
    void urlsIntoThePlatformsOwnNetworkAreRefusedAndNothingIsCreated() throws Exception {
        String org = Accounts.organizationKey(api, SharedPlatform.credentials());
        for (String url : List.of("http://10.0.0.5/hook", "https://10.1.2.3/hook", "https://169.254.169.254/latest",
                "https://[::ffff:192.168.1.1]/hook", "https://100.64.0.1/", "ftp://example.com/hook", "not a url",
                "https://user:pw@127.0.0.1/hook")) {
            var r = api.call("POST", "/v1/webhooks", org, null,
                    "{\"url\":\"" + url + "\",\"events\":[\"session.created\"]}");
            assertEquals(400, r.status(), url + " " + r.body());
            assertEquals("invalid_request", r.body().get("error").get("code").asText());
            assertEquals("url", r.body().get("error").get("field").asText(), r.body().toString());
        }
        var unknown = api.call("POST", "/v1/webhooks", org, null,
                "{\"url\":\"http://127.0.0.1:9/x\",\"events\":[\"session.exploded\"]}");
        assertEquals(400, unknown.status());
        assertEquals("events", unknown.body().get("error").get("field").asText());
        assertEquals(0, api.get("/v1/webhooks", org).body().get("data").size(), "nothing was created");
    }

    @Test
    void aDeletedWebhookAndAnotherAccountsWebhookAreNotFound() throws Exception {
        String org = Accounts.organizationKey(api, SharedPlatform.credentials());
        var created = api.call("POST", "/v1/webhooks", org, null,
                "{\"url\":\"http://localhost:9/hook\",\"events\":[\"*\"]}");
        assertEquals(201, created.status(), created.body().toString());
        String id = created.body().get("id").asText();
        assertEquals(18, created.body().get("events").size(),
                "* subscribes to every type (twelve of sessions and workspaces, six of jobs)");
        assertEquals(404, api.get("/v1/webhooks/" + id + "/deliveries", key).status(), "another account's webhook");
        assertEquals(404, api.call("DELETE", "/v1/webhooks/" + id, key, null, null).status());
        assertEquals(200, api.get("/v1/webhooks/" + id + "/deliveries", org).status());
        assertEquals(204, api.call("DELETE", "/v1/webhooks/" + id, org, null, null).status());
        var gone = api.get("/v1/webhooks/" + id + "/deliveries", org);
        assertEquals(404, gone.status());
        assertEquals("webhook_not_found", gone.body().get("error").get("code").asText());
        Await.until(() -> {
            List<String> seen = new ArrayList<>();
            api.get("/v1/audit/events?resource_type=webhook&resource_id=" + id, org).body().get("data")
                    .forEach(e -> seen.add(e.get("action").asText()));
            return seen.containsAll(List.of("webhook.create", "webhook.delete"));
        }, 30, "webhook.create and webhook.delete are audited");
    }

    private List<JsonNode> deliveries(String webhook) throws Exception {
        var r = api.get("/v1/webhooks/" + webhook + "/deliveries", key);
        List<JsonNode> list = new ArrayList<>();
        if (r != null && r.status() == 200) {
            r.body().get("data").forEach(list::add);
        }
        return list;
    }
}
