package sh.chaser.agent.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a host tool (ip, iptables, ...) to completion; a non-zero exit is an exception with its output. */
public final class Commands {

    private static final String SBIN = "/usr/local/sbin:/usr/sbin:/sbin";
    private static final java.util.Map<String, String> RESOLVED = new java.util.concurrent.ConcurrentHashMap<>();

    private Commands() {}

    public static String run(List<String> command) {
        return run(command, null);
    }

    public static String run(List<String> command, String stdin) {
        Result result = tryRun(command, stdin);
        if (result.exit() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + result.exit() + ": "
                    + result.output().strip());
        }
        return result.output();
    }

    /** The full path of a host tool: the JVM's PATH first, then the sbin directories root's PATH has. */
    public static String executable(String name) {
        return name.contains("/") ? name : RESOLVED.computeIfAbsent(name, Commands::search);
    }

    private static String search(String name) {
        String path = System.getenv().getOrDefault("PATH", "") + ":" + SBIN;
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return Path.of(dir, name).toString();
            }
        }
        return name;
    }

    /** PATH for children: the JVM's plus the sbin directories. */
    public static String searchPath() {
        return System.getenv().getOrDefault("PATH", "/usr/bin:/bin") + ":" + SBIN;
    }

    public static Result tryRun(List<String> command, String stdin) {
        return tryRun(command, stdin, java.time.Duration.ofSeconds(60));
    }

    /** As {@link #tryRun(List, String)}, for a command that may take up to {@code timeout}. */
    public static Result tryRun(List<String> command, String stdin, java.time.Duration timeout) {
        try {
            List<String> argv = new ArrayList<>(command);
            argv.set(0, executable(argv.get(0)));
            Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
            try (var in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command.get(0) + " did not finish in " + timeout.toSeconds() + " s");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command.get(0), e);
        }
    }

    public record Result(int exit, String output) {}
}
