package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every curl example of the workspaces seed (seeds/002), run as printed against the running platform
 * with the launcher's URL and key; the empty workspace placeholders of the seed are filled with ids.
 * What a session would see in /workspace is read from the disk the vm-agent keeps.
 */
@PlatformHost
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkspacesSeedIT {

    private static final String[] FIELDS = { "id", "name", "session_type", "status", "image", "template",
            "active_session_id", "last_session_id", "source_workspace_id", "github_repo", "host", "size_bytes",
            "created_at", "updated_at", "persistence" };

    private LocalPlatform platform;
    private Shell shell;
    private AgentDisks agent;

    @BeforeAll
    void up() throws Exception {
        platform = SharedPlatform.get();
        shell = new Shell(SharedPlatform.credentials());
        agent = new AgentDisks(platform);
    }

    @AfterAll
    void close() {
        agent.close();
    }

    @Test
    @SuppressWarnings("checkstyle:MethodLength") // the seed's examples in its order, one after the other
    void everyExampleOfTheSeedWorksAsWritten() throws Exception {
        // Fresh workspace
        JsonNode fresh = shell
                .json("""
                curl -sS "$CHASER_API_URL/v1/workspaces" \\
                  -H "Authorization: Bearer $CHASER_API_KEY" \\
                  -H "Content-Type: application/json" \\
                  -d '{ "session_type": "sandbox", "name": "my-project",
                          "image": "ghcr.io/example/dev:latest" }' | jq""");
        for (String field : FIELDS) {
            assertTrue(fresh.has(field), field + " missing in " + fresh);
        }
        String project = fresh.get("id").asText();
        UUID.fromString(project);
        assertEquals("my-project", fresh.get("name").asText());
        assertEquals("sandbox", fresh.get("session_type").asText());
        assertEquals("ready", fresh.get("status").asText());
        assertEquals("ghcr.io/example/dev:latest", fresh.get("image").asText());
        assertFalse(fresh.get("template").asBoolean());
        assertTrue(fresh.get("active_session_id").isNull());
        assertTrue(fresh.get("persistence").asBoolean());
        assertFalse(fresh.get("host").asText().isEmpty());
        assertEquals(0, agent.usedBytes(project), "a fresh workspace's disk exists and is empty");
        // what a session would have left in /workspace
        Files.writeString(platform.disk(project).resolve("notes.txt"), "v1\n");

        // Cloned workspace: metadata and filesystem
        JsonNode clone = shell.json("""
                curl -sS "$CHASER_API_URL/v1/workspaces" \\
                  -H "Authorization: Bearer $CHASER_API_KEY" \\
                  -H "Content-Type: application/json" \\
                  -d '{ "clone_from": "my-project", "name": "my-project-feature" }' | jq""");
        String feature = clone.get("id").asText();
        assertEquals("my-project-feature", clone.get("name").asText());
        assertEquals(project, clone.get("source_workspace_id").asText());
        assertEquals("sandbox", clone.get("session_type").asText());
        assertEquals("ghcr.io/example/dev:latest", clone.get("image").asText());
        assertEquals("v1\n", Files.readString(platform.disk(feature).resolve("notes.txt")));

        // Import from GitHub (the platform's git base URL points at a git server on loopback)
        JsonNode imported = shell.json("""
                curl -sS "$CHASER_API_URL/v1/workspaces/import" \\
                  -H "Authorization: Bearer $CHASER_API_KEY" \\
                  -H "Content-Type: application/json" \\
                  -d '{"github_repo": "owner/repo"}' | jq""");
        String repo = imported.get("id").asText();
        assertEquals("importing", imported.get("status").asText());
        assertEquals("owner/repo", imported.get("github_repo").asText());
        assertEquals("sandbox", imported.get("session_type").asText());
        JsonNode ready = awaitStatus(repo, "ready");
        assertEquals("owner/repo", ready.get("github_repo").asText());
        assertTrue(ready.get("size_bytes").asLong() > 0, ready.toString());
        assertEquals(LoopbackGit.README, Files.readString(platform.disk(repo).resolve("README.md")));
        assertTrue(Files.exists(platform.disk(repo).resolve("src/main.py")));

        // List workspaces, newest first, every field
        JsonNode list = shell.json("""
                curl -sS "$CHASER_API_URL/v1/workspaces" \\
                  -H "Authorization: Bearer $CHASER_API_KEY" | jq""");
        List<String> ids = new ArrayList<>();
        list.get("data").forEach(w -> ids.add(w.get("id").asText()));
        assertTrue(ids.indexOf(repo) < ids.indexOf(feature) && ids.indexOf(feature) < ids.indexOf(project),
                ids.toString());
        list.get("data").forEach(w -> {
            for (String field : FIELDS) {
                assertTrue(w.has(field), field + " missing in " + w);
            }
        });
        assertTrue(list.has("next_cursor"));

        // Naming: set, then clear (the id becomes the display name)
        JsonNode named = shell.json(("""
                curl -sS -X PUT "$CHASER_API_URL/v1/workspaces/%s/name" \\
                  -H "Authorization: Bearer $CHASER_API_KEY" \\
                  -H "Content-Type: application/json" \\
                  -d '{"name": "new-name"}' | jq""").formatted(feature));
        assertEquals("new-name", named.get("name").asText());
        assertEquals(feature, get("new-name").get("id").asText(), "the new name selects the workspace");
        JsonNode cleared = shell.json(("""
                curl -sS -X PUT "$CHASER_API_URL/v1/workspaces/%s/name" \\
                  -H "Authorization: Bearer $CHASER_API_KEY" \\
                  -H "Content-Type: application/json" \\
                  -d '{"name": null}' | jq""").formatted(feature));
        assertTrue(cleared.get("name").isNull());
        assertEquals(feature, cleared.get("display_name").asText());

        // Templates: flag, then clone the template
        JsonNode template = shell.json(("""
                curl -sS -X PUT "$CHASER_API_URL/v1/workspaces/%s/template" \\
                  -H "Authorization: Bearer $CHASER_API_KEY" \\
                  -H "Content-Type: application/json" \\
                  -d '{"template": true}' | jq""").formatted(project));
        assertTrue(template.get("template").asBoolean());
        JsonNode fromTemplate = shell.json("""
                curl -sS "$CHASER_API_URL/v1/workspaces" -H "Authorization: Bearer $CHASER_API_KEY" \\
                  -H "Content-Type: application/json" -d '{"clone_from": "my-project"}'""");
        assertTrue(fromTemplate.get("name").asText().startsWith("ws-"),
                "an omitted name is generated: " + fromTemplate);
        assertEquals("v1\n", Files.readString(platform.disk(fromTemplate.get("id").asText()).resolve("notes.txt")));

        // Snapshots: create, list, restore with force, delete
        long usedAtSnapshot = agent.usedBytes(project);
        JsonNode snapshot = shell.json(("""
                curl -sS -X POST "$CHASER_API_URL/v1/workspaces/%s/snapshots" \\
                  -H "Authorization: Bearer $CHASER_API_KEY" \\
                  -H "Content-Type: application/json" \\
                  -d '{"name": "before-upgrade"}' | jq""").formatted(project));
        assertEquals("before-upgrade", snapshot.get("name").asText());
        assertEquals(project, snapshot.get("workspace_id").asText());
        JsonNode snapshots = shell.json(("""
                curl -sS "$CHASER_API_URL/v1/workspaces/%s/snapshots" \\
                  -H "Authorization: Bearer $CHASER_API_KEY" | jq""").formatted(project));
        assertEquals(1, snapshots.get("data").size());
        assertEquals(snapshot.get("id").asText(), snapshots.get("data").get(0).get("id").asText());
        assertEquals(1, agent.snapshots(project).getSnapshotsCount(), "the agent holds the restore point");

        Files.writeString(platform.disk(project).resolve("notes.txt"), "v2 after the upgrade\n");
        Files.writeString(platform.disk(project).resolve("upgrade.log"), "x".repeat(100_000));
        JsonNode restored = shell.json(("""
                curl -sS -X POST "$CHASER_API_URL/v1/workspaces/%s/snapshots/before-upgrade/restore" \\
                  -H "Authorization: Bearer $CHASER_API_KEY" \\
                  -H "Content-Type: application/json" \\
                  -d '{"force": true}' | jq""").formatted(project));
        assertEquals(project, restored.get("id").asText());
        assertEquals("v1\n", Files.readString(platform.disk(project).resolve("notes.txt")));
        assertFalse(Files.exists(platform.disk(project).resolve("upgrade.log")));
        assertEquals(usedAtSnapshot, agent.usedBytes(project), "the disk is exactly the snapshot again");

        assertEquals("204", shell.run(("""
                curl -sS -X DELETE "$CHASER_API_URL/v1/workspaces/%s/snapshots/before-upgrade" \\
                  -H "Authorization: Bearer $CHASER_API_KEY" -o /dev/null -w '%%{http_code}'""").formatted(project)));
        assertEquals(0, shell.json(("curl -sS \"$CHASER_API_URL/v1/workspaces/%s/snapshots\" "
                + "-H \"Authorization: Bearer $CHASER_API_KEY\"").formatted(project)).get("data").size());
        assertEquals(0, agent.snapshots(project).getSnapshotsCount());

        // Delete one workspace (force), then the others in bulk
        assertEquals("204", shell.run(("""
                curl -sS -X DELETE "$CHASER_API_URL/v1/workspaces/%s?force=true" \\
                  -H "Authorization: Bearer $CHASER_API_KEY" -o /dev/null -w '%%{http_code}'""").formatted(project)));
        assertEquals("workspace_not_found", get(project).get("error").get("code").asText());
        assertEquals(-1, agent.usedBytes(project), "the disk is gone from its host");

        JsonNode bulk = shell.json(("""
                curl -sS -X POST "$CHASER_API_URL/v1/workspaces/bulk-delete" \\
                  -H "Authorization: Bearer $CHASER_API_KEY" \\
                  -H "Content-Type: application/json" \\
                  -d '{"workspace_ids": ["%s", "%s"], "force": true}' | jq""").formatted(feature, repo));
        assertEquals(2, bulk.get("deleted").size(), bulk.toString());
        assertEquals(0, bulk.get("failed").size());
        JsonNode again = shell
                .json(("""
                curl -sS -X POST "$CHASER_API_URL/v1/workspaces/bulk-delete" \\
                  -H "Authorization: Bearer $CHASER_API_KEY" -H "Content-Type: application/json" \\
                  -d '{"workspace_ids": ["%s"]}'""")
                        .formatted(feature));
        assertEquals("workspace_not_found", again.get("failed").get(0).get("code").asText());
        assertEquals(feature, again.get("failed").get(0).get("id").asText());
        assertEquals(-1, agent.usedBytes(feature));
        assertEquals(-1, agent.usedBytes(repo));
    }

    private JsonNode get(String selector) throws Exception {
        return shell.json("curl -sS \"$CHASER_API_URL/v1/workspaces/" + selector
                + "\" -H \"Authorization: Bearer $CHASER_API_KEY\"");
    }

    private JsonNode awaitStatus(String id, String status) throws Exception {
        return Await.until(() -> get(id), w -> {
            assertFalse("failed".equals(w.path("status").asText()) && !"failed".equals(status), w.toString());
            return status.equals(w.path("status").asText());
        }, 120, "workspace " + id + " is " + status);
    }
}
