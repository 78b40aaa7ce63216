package sh.chaser.agent.files;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import sh.chaser.agent.application.Sandboxes;
import sh.chaser.agent.domain.AgentError;
import sh.chaser.agent.domain.SandboxPath;
import sh.chaser.agent.domain.SandboxPath.Entry;
import sh.chaser.agent.domain.SandboxPath.Kind;
import sh.chaser.agent.domain.SandboxRecord;

/**
 * Reads and writes files inside a sandbox. The path is resolved and checked first through the
 * sandbox's root as the host sees it ({@link SandboxPath}); the bytes then move through a process
 * that runs inside the sandbox as its user, so the kernel confines the access even if the sandbox
 * changes its files between the check and the copy.
 */
@ApplicationScoped
public class SandboxFiles {

    public static final long MAX_BYTES = 16L * 1024 * 1024;
    private static final String WRITE = "d=${1%/*}; [ -z \"$d\" ] || mkdir -p -- \"$d\" || exit 73; cat > \"$1\"";

    @Inject
    Sandboxes sandboxes;

    /** A file ready to be read: its resolved path, size and the process that streams it. */
    public record Download(String path, long size, Process process) {
        public InputStream bytes() {
            return process.getInputStream();
        }
    }

    public SandboxPath.Resolved resolve(String sessionId, String path) {
        SandboxRecord record = sandboxes.running(sessionId);
        Path root = Path.of("/proc", Long.toString(record.handle().pid()), "root");
        return SandboxPath.resolve(path, p -> lstat(root, p));
    }

    public Download open(String sessionId, String path) {
        SandboxPath.Resolved resolved = resolve(sessionId, path);
        switch (resolved.entry().kind()) {
            case MISSING -> throw AgentError.FILE_NOT_FOUND.exception("no file " + resolved.path() + " in the sandbox");
            case DIRECTORY -> throw AgentError.INVALID_ARGUMENT.exception(resolved.path() + " is a directory");
            default -> { }
        }
        long size = sizeOf(sessionId, resolved.path());
        if (size > MAX_BYTES) {
            throw AgentError.PAYLOAD_TOO_LARGE.exception(resolved.path() + " holds " + size
                    + " bytes; downloads are at most 16 MiB");
        }
        Process process = start(sandboxes.enter(sessionId, List.of("/bin/sh", "-c", "exec cat -- \"$1\"", "chaser-read",
                resolved.path()), Map.of()).redirectError(ProcessBuilder.Redirect.DISCARD));
        return new Download(resolved.path(), size, process);
    }

    /** Writes {@code source} (a file on the host) to {@code path} in the sandbox; parent directories are made. */
    public String write(String sessionId, String path, Path source) {
        SandboxPath.Resolved resolved = resolve(sessionId, path);
        if (resolved.entry().kind() == Kind.DIRECTORY) {
            throw AgentError.INVALID_ARGUMENT.exception(resolved.path() + " is a directory");
        }
        Process process = start(sandboxes.enter(sessionId, List.of("/bin/sh", "-c", WRITE, "chaser-write", resolved.path()), Map.of())
                .redirectInput(source.toFile()).redirectErrorStream(true));
        try {
            String errors = new String(process.getInputStream().readAllBytes()).strip();
            if (process.waitFor() != 0) {
                throw AgentError.INVALID_ARGUMENT.exception("could not write " + resolved.path() + ": "
                        + (errors.isEmpty() ? "permission denied" : errors.replace("chaser-write: ", "")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return resolved.path();
    }

    private long sizeOf(String sessionId, String resolvedPath) {
        Path root = Path.of("/proc", Long.toString(sandboxes.running(sessionId).handle().pid()), "root");
        try {
            return Files.readAttributes(root.resolve(resolvedPath.substring(1)), BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS).size();
        } catch (IOException e) {
            throw AgentError.FILE_NOT_FOUND.exception("no file " + resolvedPath + " in the sandbox");
        }
    }

    private static Entry lstat(Path root, String absolute) {
        Path file = root.resolve(absolute.substring(1));
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (a.isSymbolicLink()) {
                return new Entry(Kind.SYMLINK, Files.readSymbolicLink(file).toString());
            }
            return new Entry(a.isRegularFile() ? Kind.FILE : a.isDirectory() ? Kind.DIRECTORY : Kind.OTHER, null);
        } catch (NoSuchFileException e) {
            return Entry.MISSING;
        } catch (IOException e) {
            // unreadable from here: let the sandbox's own permissions decide when the copy runs
            return Entry.MISSING;
        }
    }

    private static Process start(ProcessBuilder builder) {
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
