package sh.chaser.agent.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.File;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host's client against the real {@code chaser-guest} binary this module builds
 * (target/guest/chaser-guest), running as a process on loopback: the request shapes of both sides
 * agree, and a wrong token is refused.
 */
class GuestClientTest {

    private static final Path BINARY = Path.of("target/guest/chaser-guest");
    private static final String TOKEN = "guest-client-test-token";
    @TempDir
    Path dir;
    private Process guest;
    private GuestClient client;

    @BeforeEach
    void start() throws Exception {
        assertThat(BINARY).as("the build makes the guest agent before the tests").exists();
        Path token = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        Path root = Files.createDirectories(dir.resolve("root"));
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        guest = new ProcessBuilder(BINARY.toAbsolutePath().toString(), "-listen", "127.0.0.1:" + port,
                "-token-file", token.toString(), "-root", root.toString(), "-state-dir",
                dir.resolve("state").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("guest.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        client = new GuestClient(new GuestClient.Address("127.0.0.1", port, TOKEN));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!client.ready()) {
            assertThat(System.nanoTime()).as("the guest agent answers within 10 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @AfterEach
    void stop() throws Exception {
        guest.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    @Test
    void execRunsACommandWithItsVariablesAndReportsItsStatus() throws Exception {
        var result = client.exec("echo $WHO; exit 4", null, Map.of("WHO", "guest"), Duration.ofSeconds(10));
        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(new String(result.output(), StandardCharsets.UTF_8)).isEqualTo("guest\n");
        var slow = client.exec("sleep 30", null, null, Duration.ofMillis(300));
        assertThat(slow.timedOut()).isTrue();
        assertThat(slow.exitCode()).isEqualTo(137);
    }

    @Test
    void filesAndBackgroundCommandsGoThroughTheSameAgent() throws Exception {
        byte[] data = "payload".getBytes(StandardCharsets.UTF_8);
        assertThat(client.put("in/file.txt", data).getLong("size")).isEqualTo(7);
        assertThat(client.get("in/file.txt")).isEqualTo(data);
        var commands = new GuestCommands(client);
        var started = commands.start("cat in/file.txt; echo done >&2", null, null);
        StringBuilder out = new StringBuilder();
        long offset = 0;
        GuestCommands.Read read;
        do {
            read = commands.output(started.id(), offset, Duration.ofSeconds(2));
            for (var chunk : read.chunks()) {
                out.append(chunk.stream()).append(':').append(new String(chunk.data(), StandardCharsets.UTF_8))
                        .append('|');
                offset = chunk.offset() + chunk.data().length;
            }
        } while (!read.ended());
        assertThat(out.toString()).contains("stdout:payload|").contains("stderr:done\n|");
        assertThat(read.exitCode()).isZero();
        var missing = catchThrowableOfType(() -> client.get("nothing-here"), GuestException.class);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.code()).isEqualTo("file_not_found");
    }

    @Test
    void aClientWithAnotherTokenIsRefused() {
        var intruder = new GuestClient(
                new GuestClient.Address("127.0.0.1", client.address().port(), "not-the-token-at-all"));
        assertThat(intruder.ready()).isFalse();
        var refused = catchThrowableOfType(() -> intruder.exec("id", null, null, Duration.ofSeconds(5)),
                GuestException.class);
        assertThat(refused.code()).isEqualTo("unauthenticated");
        // positive control: the same call with the token is answered
        assertThat(client.ready()).isTrue();
    }
}
