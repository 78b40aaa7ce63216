package sh.chaser.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The {@code chaser} command-line client (./chaser login|sandbox|exec|upload|download|sessions) against a platform. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliIT {

    private Api api;
    private Path repo;
    private String key;
    @TempDir
    Path dir;

    record Ran(int exit, String out, String err) {}

    @BeforeAll
    void up() throws Exception {
        LocalPlatform platform = SharedPlatform.get();
        repo = platform.repo;
        api = new Api(platform.apiUrl());
        key = Accounts.organizationKey(api, SharedPlatform.credentials());
    }

    @AfterAll
    void down() throws Exception {
        api.call("POST", "/v1/sessions/bulk-terminate", key, null, "{\"all\":true,\"force\":true}");
    }

    @Test
    void loginWritesAProfileOnlyItsOwnerReadsAndTheCommandsUseIt() throws Exception {
        Path profile = dir.resolve("profile");
        Map<String, String> onlyProfile = Map.of("CHASER_CONFIG", profile.toString());
        Ran before = run(onlyProfile, "sessions", "list");
        assertEquals(1, before.exit(), "control: without a profile nothing is sent");
        assertTrue(before.err().contains("chaser login"), before.err());

        Ran login = run(onlyProfile, "login", "--api-url", api.baseUrl(), "--api-key", key);
        assertEquals(0, login.exit(), login.err());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(profile)));
        Ran list = run(onlyProfile, "sessions", "list", "--json");
        assertEquals(0, list.exit(), list.err());
        assertTrue(new ObjectMapper().readTree(list.out()).path("data").isArray(), list.out());
    }

    @Test
    void execRunsInTheSandboxAndExitsWithTheCommandsExitCode() throws Exception {
        Ran sandbox = run(env(), "sandbox", "--ephemeral");
        assertEquals(0, sandbox.exit(), sandbox.err());
        String session = sandbox.out().strip();
        Ran failing = run(env(), "exec", "-s", session, "--", "echo hi; echo oops >&2; exit 3");
        assertEquals(3, failing.exit(), failing.err());
        assertEquals("hi\noops\n", failing.out());
        Ran ok = run(env(), "exec", "-s", session, "--", "true");
        assertEquals(0, ok.exit(), ok.err());
        Ran wrongKey = run(Map.of("CHASER_API_URL", api.baseUrl(), "CHASER_API_KEY", "sk_notAKey"), "exec", "-s",
                session, "--", "true");
        assertEquals(1, wrongKey.exit());
        assertTrue(wrongKey.err().contains("(unauthorized)"), wrongKey.err());
    }

    @Test
    void uploadAndDownloadRoundTripTenMebibytesByteForByte() throws Exception {
        byte[] data = new byte[10 * 1024 * 1024];
        new Random(28).nextBytes(data);
        Path local = dir.resolve("data.bin");
        Files.write(local, data);
        String session = run(env(), "sandbox", "--ephemeral").out().strip();

        Ran up = run(env(), "upload", session, local.toString(), "cli/data.bin");
        assertEquals(0, up.exit(), up.err());
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        assertTrue(up.out().contains(sha), "the platform's sha256 is the file's: " + up.out());

        Path back = dir.resolve("back.bin");
        Ran down = run(env(), "download", session, "cli/data.bin", back.toString());
        assertEquals(0, down.exit(), down.err());
        assertArrayEquals(data, Files.readAllBytes(back));
        assertTrue(Files.notExists(dir.resolve("back.bin.part")), "no partial file is left");
    }

    @Test
    void shellIsARealTerminalThatFollowsAResizeAndExitsWithTheRemoteExitCode() throws Exception {
        String session = run(env(), "sandbox", "--ephemeral").out().strip();
        Path driver = dir.resolve("pty_shell.py");
        try (var in = getClass().getResourceAsStream("/pty_shell.py")) {
            Files.write(driver, in.readAllBytes());
        }
        Ran ran = runProgram(env(), null, "python3", driver.toString(), repo.resolve("chaser").toString(), "shell",
                session);
        var seen = new ObjectMapper().readTree(ran.out().strip());
        assertTrue(seen.path("ready").asBoolean(), "the remote shell answered: " + seen);
        assertTrue(seen.path("initial").asBoolean(), "control: stty size saw the terminal's first size: " + seen);
        assertTrue(seen.path("resized").asBoolean(), "stty size saw the new size after the resize: " + seen);
        assertEquals(7, seen.path("exit").asInt(-1), "the remote exit code: " + seen);
    }

    @Test
    void forwardServesAPageFromAServerInTheSandboxOnALocalPort() throws Exception {
        String session = run(env(), "sandbox", "--ephemeral").out().strip();
        var started = api.call("POST", "/v1/sessions/" + session + "/exec", key, null, "{\"background\":true,"
                + "\"command\":\"cd /tmp && echo hello-forward > page.html && exec python3 -m http.server 8000"
                + " --bind 127.0.0.1\"}");
        assertEquals(200, started.status(), started.body().toString());
        List<String> command = List.of(repo.resolve("chaser").toString(), "forward", session, "8000", "0");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env());
        Process forward = pb.start();
        try {
            var lines = new java.io.BufferedReader(new java.io.InputStreamReader(forward.getInputStream(),
                    StandardCharsets.UTF_8));
            String banner = CompletableFuture.supplyAsync(() -> {
                try {
                    return lines.readLine();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).get(60, TimeUnit.SECONDS);
            var local = java.util.regex.Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/").matcher(banner);
            assertTrue(local.find(), "the banner names the local port: " + banner);
            var http = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1)
                    .connectTimeout(java.time.Duration.ofSeconds(10)).build();
            var page = java.net.URI.create("http://127.0.0.1:" + local.group(1) + "/page.html");
            String body = Await.until(() -> http.send(java.net.http.HttpRequest.newBuilder(page)
                    .timeout(java.time.Duration.ofSeconds(20)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body(), b -> b.contains("hello-forward"), 30,
                    "the sandbox's server answers on the local port");
            assertEquals("hello-forward\n", body);
        } finally {
            forward.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void teleportCopiesALocalFolderIntoTheSandbox() throws Exception {
        Path folder = dir.resolve("my-app");
        Files.createDirectories(folder.resolve("src"));
        Files.writeString(folder.resolve("README"), "teleported\n");
        Files.writeString(folder.resolve("src/main.py"), "print('hi')\n");
        String session = run(env(), "sandbox", "--ephemeral").out().strip();
        Ran teleported = run(env(), "teleport", session, folder.toString(), "apps/one");
        assertEquals(0, teleported.exit(), teleported.err());
        Ran seen = run(env(), "exec", "-s", session, "--", "cat apps/one/README apps/one/src/main.py; ls -A apps/one");
        assertEquals("teleported\nprint('hi')\nREADME\nsrc\n", seen.out(), "the folder, and nothing else: " + seen);
    }

    @Test
    void keysAccountsAuditWebhooksAndAnImportFromTheCommandLine() throws Exception {
        var mapper = new ObjectMapper();
        Ran created = run(env(), "keys", "create", "--name", "cli-made", "--scope", "sessions.read", "--json");
        assertEquals(0, created.exit(), created.err());
        var key = mapper.readTree(created.out());
        assertEquals("[\"sessions.read\"]", key.path("scopes").toString());
        assertTrue(run(env(), "keys", "list").out().contains(key.path("key_prefix").asText()));
        assertEquals(0, run(env(), "keys", "revoke", key.path("id").asText()).exit());
        assertEquals("organization", mapper.readTree(run(env(), "accounts", "--current", "--json").out())
                .path("type").asText());
        assertTrue(run(env(), "audit", "--action", "api_key.create").out().contains("api_key.create"));
        Ran hook = run(env(), "webhooks", "create", "--url", "http://127.0.0.1:9/hook", "--event", "*", "--json");
        assertEquals(0, hook.exit(), hook.err());
        String hookId = mapper.readTree(hook.out()).path("id").asText();
        assertTrue(run(env(), "webhooks", "list").out().contains(hookId));
        assertEquals(0, run(env(), "webhooks", "delete", hookId).exit());

        String name = "cli-import-" + Long.toHexString(System.nanoTime());
        Ran imported = run(env(), "workspaces", "import", "owner/repo", "--name", name, "--json");
        assertEquals(0, imported.exit(), imported.err() + imported.out());
        assertEquals("ready", mapper.readTree(imported.out()).path("status").asText(), imported.out());
        assertEquals(0, run(env(), "workspaces", "delete", name).exit());
    }

    @Test
    void workspacesAndTheirSnapshotsFromTheCommandLine() throws Exception {
        String name = "cli-" + Long.toHexString(System.nanoTime());
        Ran created = run(env(), "workspaces", "create", "--name", name, "--json");
        assertEquals(0, created.exit(), created.err());
        assertEquals(name, new ObjectMapper().readTree(created.out()).path("name").asText());
        Ran listed = run(env(), "workspaces", "list");
        assertTrue(listed.out().contains(name) && listed.out().startsWith("ID"), listed.out());
        assertEquals(0, run(env(), "workspaces", "snapshots", "create", name, "s1").exit());
        assertTrue(run(env(), "workspaces", "snapshots", "list", name).out().contains("s1"));
        Ran taken = run(env(), "workspaces", "snapshots", "create", name, "s1");
        assertEquals(1, taken.exit());
        assertTrue(taken.err().contains("(snapshot_name_taken)"), taken.err());
        assertEquals(0, run(env(), "workspaces", "delete", name).exit());
        assertEquals(404, api.call("GET", "/v1/workspaces/" + name, key, null, null).status());
    }

    @Test
    void mcpServeAnswersOnStdoutWhatAnAgentSendsOnStdin() throws Exception {
        String messages = String.join("\n",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                        + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"stdio\",\"version\":\"1\"}}}",
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}") + "\n";
        Ran served = runWithInput(env(), messages, "mcp", "serve");
        assertEquals(0, served.exit(), served.err());
        String[] lines = served.out().strip().split("\n");
        assertEquals(2, lines.length, "one answer per request, none for the notification: " + served.out());
        var byId = new java.util.HashMap<Integer, com.fasterxml.jackson.databind.JsonNode>();
        for (String line : lines) {
            var answer = new ObjectMapper().readTree(line);
            byId.put(answer.path("id").asInt(), answer);
        }
        assertEquals("chaser", byId.get(1).path("result").path("serverInfo").path("name").asText(), served.out());
        assertTrue(byId.get(2).path("result").path("tools").toString().contains("\"terminal\""), served.out());

        Ran refused = runWithInput(Map.of("CHASER_API_URL", api.baseUrl(), "CHASER_API_KEY", "sk_notAKey"),
                "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/list\"}\n", "mcp", "serve");
        var error = new ObjectMapper().readTree(refused.out().strip());
        assertEquals(9, error.path("id").asInt(), refused.out());
        assertTrue(error.path("error").path("message").asText().startsWith("unauthorized"), refused.out());
    }

    private Map<String, String> env() {
        return Map.of("CHASER_API_URL", api.baseUrl(), "CHASER_API_KEY", key, "CHASER_CONFIG",
                dir.resolve("none").toString());
    }

    private Ran run(Map<String, String> env, String... args) throws Exception {
        return runWithInput(env, null, args);
    }

    private Ran runWithInput(Map<String, String> env, String stdin, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(repo.resolve("chaser").toString()));
        command.addAll(List.of(args));
        return runProgram(env, stdin, command.toArray(String[]::new));
    }

    private Ran runProgram(Map<String, String> env, String stdin, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("CHASER_API_URL");
        pb.environment().remove("CHASER_API_KEY");
        pb.environment().putAll(env);
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        boolean ended = p.waitFor(180, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        assertTrue(ended, String.join(" ", command) + " did not end within 180 s");
        return new Ran(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
