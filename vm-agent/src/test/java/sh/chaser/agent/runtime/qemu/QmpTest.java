package sh.chaser.agent.runtime.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sh.chaser.testhost.NeedsTools;

/** QMP against a real QEMU (a machine without a guest: {@code -M none}), and against a socket that never answers. */
@NeedsTools("qemu-system-x86_64")
class QmpTest {

    @TempDir
    Path dir;

    @Test
    void aQemuAnswersItsStatusAndQuitsWhenAsked() throws Exception {
        Path socket = dir.resolve("qmp.sock");
        Process qemu = new ProcessBuilder("qemu-system-x86_64", "-M", "none", "-display", "none", "-nodefaults",
                "-qmp", "unix:" + socket + ",server=on,wait=off").redirectErrorStream(true)
                .redirectOutput(dir.resolve("qemu.log").toFile()).start();
        try {
            org.awaitility.Awaitility.await("QMP's socket").atMost(Duration.ofSeconds(30))
                    .until(() -> Files.exists(socket));
            assertThat(Qmp.execute(socket, "query-status", Duration.ofSeconds(10))).contains("\"return\"")
                    .contains("\"status\"");
            assertThat(qemu.isAlive()).as("positive control: asking its status does not stop it").isTrue();
            Qmp.execute(socket, "quit", Duration.ofSeconds(10));
            assertThat(qemu.waitFor(10, TimeUnit.SECONDS)).as("QEMU ended after quit").isTrue();
        } finally {
            qemu.destroyForcibly();
        }
    }

    @Test
    void aMonitorThatNeverAnswersGivesUpAtItsDeadline() throws Exception {
        Path socket = dir.resolve("silent.sock");
        try (ServerSocketChannel silent = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            silent.bind(UnixDomainSocketAddress.of(socket));
            long started = System.nanoTime();
            assertThatThrownBy(() -> Qmp.execute(socket, "quit", Duration.ofMillis(500)))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("did not answer");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        }
        assertThatThrownBy(() -> Qmp.execute(dir.resolve("nothing.sock"), "quit", Duration.ofSeconds(1)))
                .isInstanceOf(IOException.class);
    }
}
