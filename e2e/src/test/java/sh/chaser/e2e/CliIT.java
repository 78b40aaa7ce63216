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

    private Map<String, String> env() {
        return Map.of("CHASER_API_URL", api.baseUrl(), "CHASER_API_KEY", key, "CHASER_CONFIG",
                dir.resolve("none").toString());
    }

    private Ran run(Map<String, String> env, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(repo.resolve("chaser").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("CHASER_API_URL");
        pb.environment().remove("CHASER_API_KEY");
        pb.environment().putAll(env);
        Process p = pb.start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        boolean ended = p.waitFor(180, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        assertTrue(ended, "chaser " + String.join(" ", args) + " did not end within 180 s");
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
