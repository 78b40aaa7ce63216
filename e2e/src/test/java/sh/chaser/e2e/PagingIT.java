package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Cursor paging (API.md conventions) on the lists that used to answer everything at once: keys,
 * members, service accounts and their keys, webhooks, snapshots, SSH keys. Walked two at a time, the pages
 * are the whole list, newest first, each item once; a bad limit or cursor is 400.
 */
@PlatformHost
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PagingIT {

    private Api api;
    private String key;

    @BeforeAll
    void platform() throws Exception {
        api = new Api(SharedPlatform.get().apiUrl());
        key = Accounts.organizationKey(api, SharedPlatform.credentials());
    }

    @Test
    void everyListPagesTwoAtATimeThroughTheWholeList() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertEquals(201, post("/v1/api-keys", "{\"name\":\"paged-" + i + "\"}").status());
            assertEquals(201, post("/v1/webhooks", "{\"url\":\"http://127.0.0.1:9/hook-" + i
                    + "\",\"events\":[\"*\"]}").status());
            assertEquals(201, post("/v1/accounts/current/members", "{\"email\":\"paged-" + i + "-"
                    + UUID.randomUUID().toString().substring(0, 6) + "@example.com\",\"role\":\"member\"}").status());
        }
        String sa = post("/v1/accounts/current/service-accounts", "{\"name\":\"paged\"}").body().get("id").asText();
        for (int i = 0; i < 3; i++) {
            assertEquals(201, post("/v1/accounts/current/service-accounts", "{\"name\":\"paged-" + i + "\"}").status());
            assertEquals(201, post("/v1/accounts/current/service-accounts/" + sa + "/keys", "{}").status());
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(201, post("/v1/ssh-keys", "{\"public_key\":\"" + sshPublicKey("paged-" + i) + "\"}").status());
        }
        String workspace = new Sessions(api, key).workspace("sandbox");
        for (int i = 0; i < 3; i++) {
            assertEquals(201, post("/v1/workspaces/" + workspace + "/snapshots", "{\"name\":\"s" + i + "\"}").status());
        }

        assertWalks("/v1/api-keys", "id", 4); // the organization's own key besides
        assertWalks("/v1/webhooks", "id", 3);
        assertWalks("/v1/accounts/current/members", "user_id", 4); // the owner besides
        assertWalks("/v1/accounts/current/service-accounts", "id", 4);
        assertWalks("/v1/accounts/current/service-accounts/" + sa + "/keys", "id", 3);
        assertWalks("/v1/workspaces/" + workspace + "/snapshots", "id", 3);
        assertWalks("/v1/ssh-keys", "id", 3);
    }

    @Test
    void aBadLimitOrCursorIsRefused() throws Exception {
        for (String list : List.of("/v1/api-keys", "/v1/webhooks", "/v1/accounts/current/members",
                "/v1/accounts/current/service-accounts", "/v1/ssh-keys")) {
            for (String query : List.of("?limit=0", "?limit=501", "?cursor=not-a-cursor")) {
                var r = api.get(list + query, key);
                assertEquals(400, r.status(), list + query + ": " + r.body());
                assertEquals("invalid_request", Sessions.code(r), list + query);
            }
        }
    }

    /** A new ed25519 public key line, made by ssh-keygen. */
    private String sshPublicKey(String name) throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("paged-ssh");
        java.nio.file.Path file = dir.resolve(name);
        Process made = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f",
                file.toString()).redirectErrorStream(true).start();
        assertEquals(true, made.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "ssh-keygen ends");
        assertEquals(0, made.exitValue());
        return java.nio.file.Files.readString(dir.resolve(name + ".pub")).strip();
    }

    private void assertWalks(String list, String idField, int expected) throws Exception {
        JsonNode whole = api.get(list, key).body();
        assertEquals(expected, whole.get("data").size(), list + ": " + whole);
        assertEquals(null, whole.get("next_cursor").textValue(), list + ": one page holds all by default");
        List<String> all = new ArrayList<>();
        whole.get("data").forEach(item -> all.add(item.get(idField).asText()));
        List<String> walked = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            String query = "?limit=2" + (cursor == null
                    ? ""
                    : "&cursor=" + URLEncoder.encode(cursor,
                            StandardCharsets.UTF_8));
            var page = api.get(list + query, key);
            assertEquals(200, page.status(), list + query + ": " + page.body());
            page.body().get("data").forEach(item -> walked.add(item.get(idField).asText()));
            cursor = page.body().get("next_cursor").textValue();
            pages++;
            assertNotNull(page.body().get("next_cursor"), "next_cursor is always present");
        } while (cursor != null && pages < 10);
        assertEquals(all, walked, list + ": the pages are the whole list in its order");
        assertEquals(walked.size(), new LinkedHashSet<>(walked).size(), list + ": each item once");
        assertEquals((expected + 1) / 2, pages, list);
    }

    private Api.Reply post(String path, String body) throws Exception {
        return api.call("POST", path, key, null, body);
    }
}
