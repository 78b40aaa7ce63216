package sh.chaser.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * A failed test prints what the shared platform logged last (warnings and errors of every
 * process), so a failure in CI comes with its cause and not only its assertion. Registered for
 * every test by the service file and junit-platform.properties' autodetection.
 */
public final class PlatformLogsOnFailure implements TestWatcher {

    private static final int LINES_PER_LOG = 25;

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        SharedPlatform.ifStarted()
                .ifPresent(platform -> print(context.getDisplayName(), platform.home.resolve("logs")));
    }

    private static void print(String test, Path logs) {
        StringBuilder out = new StringBuilder(
                "---- the platform's last warnings and errors after " + test + " failed\n");
        try (Stream<Path> files = Files.list(logs)) {
            for (Path log : files.sorted().toList()) {
                List<String> lines;
                try (Stream<String> all = Files.lines(log, StandardCharsets.ISO_8859_1)) {
                    lines = all.filter(l -> l.contains(" WARN ") || l.contains(" ERROR ") || l.contains("Exception"))
                            .toList();
                }
                lines.subList(Math.max(0, lines.size() - LINES_PER_LOG), lines.size())
                        .forEach(l -> out.append(log.getFileName()).append(": ")
                                .append(l, 0, Math.min(l.length(), 300)).append('\n'));
            }
        } catch (IOException | RuntimeException e) {
            out.append("(the logs could not be read: ").append(e).append(")\n");
        }
        System.out.print(out.append("----\n"));
    }
}
