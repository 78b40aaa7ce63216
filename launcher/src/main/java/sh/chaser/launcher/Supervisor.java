package sh.chaser.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Starts components as detached processes (own session, output to {@code logs/<name>.log}) and
 * finds them again through {@code run/<name>.pid}. A pid counts as ours only while its command
 * line still carries {@code -Dchaser.process=<name>}, so a recycled pid is never signalled.
 */
public final class Supervisor {

    private final Settings settings;

    public Supervisor(Settings settings) {
        this.settings = settings;
    }

    public static String marker(String name) {
        return "-Dchaser.process=" + name;
    }

    public Optional<ProcessHandle> running(String name) {
        Path pidFile = pidFile(name);
        try {
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(p -> p.info().commandLine()
                    .map(cmd -> cmd.contains(marker(name))).orElse(false));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    public ProcessHandle start(Component c) throws IOException {
        Files.createDirectories(settings.logs());
        Files.createDirectories(settings.run());
        List<String> command = new ArrayList<>();
        command.add("setsid");
        command.addAll(c.command());
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(settings.repo().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(c.name()).toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(c.env());
        Process process = pb.start();
        Files.writeString(pidFile(c.name()), Long.toString(process.pid()));
        return process.toHandle();
    }

    /** SIGTERM, then up to {@code seconds} for a clean exit, then SIGKILL. @return true if it was running */
    public boolean stop(String name, int seconds) throws IOException {
        Optional<ProcessHandle> handle = running(name);
        if (handle.isPresent()) {
            ProcessHandle p = handle.get();
            p.destroy();
            try {
                p.onExit().get(seconds, TimeUnit.SECONDS);
            } catch (Exception timedOut) {
                p.destroyForcibly();
                p.onExit().join();
            }
        }
        Files.deleteIfExists(pidFile(name));
        return handle.isPresent();
    }

    public Path logFile(String name) {
        return settings.logs().resolve(name + ".log");
    }

    private Path pidFile(String name) {
        return settings.run().resolve(name + ".pid");
    }
}
