package sh.chaser.agent.runtime.namespace;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import sh.chaser.agent.host.Commands;

/**
 * runc (Debian's) with its state under the agent's data directory, so a restarted agent finds its
 * sandboxes. Host processes it runs get a fixed environment: nothing of a tenant's reaches one.
 */
final class Runc {

    private static final Logger LOG = Logger.getLogger(Runc.class);
    private final Path root;

    Runc(Path root) {
        this.root = root;
    }

    private List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(Commands.executable("setsid"), Commands.executable("runc"),
                "--root", root.toString()));
        command.addAll(List.of(args));
        return command;
    }

    private static ProcessBuilder fixed(ProcessBuilder builder) {
        builder.environment().clear();
        builder.environment().put("PATH", Commands.searchPath());
        return builder;
    }

    /**
     * Starts the container detached; its init's host pid, or -1 (the reason is in {@code log}). Its
     * standard streams are /dev/null: a sandbox process may write to its init's descriptors
     * (/proc/1/fd/1), which must not be a file on the host's disk. runc's own messages go to {@code log}.
     */
    long run(String id, Path bundle, Path log) {
        Path pidFile = bundle.resolve("init.pid");
        try {
            Files.deleteIfExists(pidFile);
            Process process = fixed(
                    new ProcessBuilder(command("--log", log.toAbsolutePath().toString(), "run", "--detach",
                            "--bundle", bundle.toString(), "--pid-file", pidFile.toString(), id)))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return -1;
            }
            return process.exitValue() == 0 && Files.exists(pidFile)
                    ? Long.parseLong(Files.readString(pidFile).strip())
                    : -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Forgets a container (its state and cgroups); nothing when runc has none of that name. */
    void delete(String id) {
        Commands.Result result = Commands.tryRun(command("delete", "--force", id), null);
        if (result.exit() != 0 && Files.exists(root.resolve(id))) {
            LOG.warnf("runc delete %s: %s", id, result.output().strip());
        }
    }

    /** The containers runc keeps state for. */
    List<String> list() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> states = Files.list(root)) {
            return states.filter(Files::isDirectory).map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
