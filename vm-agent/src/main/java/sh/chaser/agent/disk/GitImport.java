package sh.chaser.agent.disk;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import sh.chaser.agent.domain.AgentError;
import sh.chaser.agent.domain.AgentException;
import sh.chaser.agent.host.Commands;
import sh.chaser.agent.host.Files2;
import sh.chaser.agent.host.SandboxIds;

/**
 * Clones a repository into a disk with the host's git, reporting its progress. The URL is the
 * configured base (any scheme git accepts: https, git, ssh, file) plus {@code owner/name}. Failures
 * are sorted into stable codes from git's own messages, and the disk is emptied again.
 */
public final class GitImport {

    private static final Pattern REPOSITORY = Pattern.compile("[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}");
    private static final Pattern REF = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,199}");
    private static final Pattern PERCENT = Pattern.compile("^([A-Za-z ]+):\\s+(\\d+)%");

    public record Progress(String phase, int percent, String message) {}

    private final DiskStore store;
    private final String baseUrl;

    public GitImport(DiskStore store, String baseUrl) {
        this.store = store;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    public void run(String diskId, String repository, String ref, Consumer<Progress> progress) {
        if (repository == null || !REPOSITORY.matcher(repository).matches() || repository.contains("..")) {
            throw AgentError.INVALID_REQUEST.exception("repository must look like owner/name");
        }
        if (ref != null && !ref.isEmpty() && (!REF.matcher(ref).matches() || ref.contains(".."))) {
            throw AgentError.INVALID_REQUEST.exception("ref must be a branch, tag or commit name");
        }
        Path disk = store.create(diskId);
        String url = baseUrl + "/" + repository;
        if (Files.isDirectory(disk.resolve(".git"))) {
            if (url.equals(origin(disk))) {
                progress.accept(new Progress("done", 100, "already imported from " + url));
                return;
            }
            throw AgentError.DISK_NOT_EMPTY.exception("disk " + diskId + " already holds another repository");
        }
        if (!empty(disk)) {
            throw AgentError.DISK_NOT_EMPTY.exception("disk " + diskId + " is not empty");
        }
        try {
            git(List.of("clone", "--progress", "--no-checkout", url, disk.toString()), disk.getParent(), progress,
                    "cloning");
            List<String> checkout = ref == null || ref.isEmpty()
                    ? List.of("checkout", "--progress")
                    : List.of("checkout", "--progress", ref, "--");
            git(checkout, disk, progress, "checking_out");
            // written by the agent as host root: the session user's from now on
            SandboxIds.own(disk);
            progress.accept(
                    new Progress("done", 100, "imported " + url + (ref == null || ref.isEmpty() ? "" : " at " + ref)));
        } catch (RuntimeException e) {
            emptyOut(disk);
            throw e;
        }
    }

    private static void git(List<String> args, Path dir, Consumer<Progress> progress, String phase) {
        List<String> command = new ArrayList<>(List.of(Commands.executable("setpriv"), "--pdeathsig", "KILL", "git"));
        command.addAll(args);
        var builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("GIT_TERMINAL_PROMPT", "0");
        builder.environment().put("GIT_SSH_COMMAND", "ssh -o BatchMode=yes");
        builder.environment().put("LC_ALL", "C");
        try {
            Process process = builder.start();
            String output = read(process.getInputStream(), progress, phase);
            if (process.waitFor() != 0) {
                throw classify(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** git writes progress as lines ended by '\r' or '\n'; each becomes a progress report. */
    private static String read(InputStream in, Consumer<Progress> progress, String phase) throws IOException {
        StringBuilder all = new StringBuilder();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int lastPercent = -2;
        for (int b = in.read();; b = in.read()) {
            if (b < 0 || b == '\r' || b == '\n') {
                String text = line.toString(StandardCharsets.UTF_8).strip();
                line.reset();
                if (!text.isEmpty()) {
                    all.append(text).append('\n');
                    Matcher m = PERCENT.matcher(text);
                    int percent = m.find() ? Integer.parseInt(m.group(2)) : -1;
                    if (percent != lastPercent || percent < 0) {
                        progress.accept(new Progress(phase, percent, text));
                        lastPercent = percent;
                    }
                }
                if (b < 0) {
                    return all.toString();
                }
            } else {
                line.write(b);
            }
        }
    }

    private static AgentException classify(String output) {
        String text = output.toLowerCase(Locale.ROOT);
        if (text.contains("did not match any") || text.contains("reference is not a tree")
                || text.contains("unknown revision") || text.contains("invalid reference")) {
            return AgentError.GIT_REF_NOT_FOUND.exception("the ref does not exist in the repository");
        }
        if (text.contains("not found") || text.contains("does not appear to be a git repository")
                || text.contains("no such repository") || text.contains("could not read from remote")
                || text.contains("not exported")) {
            return AgentError.GIT_REPOSITORY_NOT_FOUND.exception("no such repository (or it is not readable)");
        }
        if (text.contains("could not resolve host") || text.contains("connection refused")
                || text.contains("failed to connect") || text.contains("timed out")
                || text.contains("unable to connect")
                || text.contains("unable to look up")) {
            return AgentError.GIT_UNREACHABLE.exception("the git server could not be reached");
        }
        return AgentError.GIT_IMPORT_FAILED.exception("git could not import the repository");
    }

    /**
     * The origin a disk's repository was imported from, read from its .git/config as text: a disk a
     * sandbox has written is never handed to git running as host root (hooks, fsmonitor and the like).
     */
    static String origin(Path disk) {
        try {
            boolean inOrigin = false;
            for (String line : Files.readAllLines(disk.resolve(".git/config"))) {
                String s = line.strip();
                if (s.startsWith("[")) {
                    inOrigin = s.replace(" ", "").equals("[remote\"origin\"]");
                } else if (inOrigin && s.startsWith("url") && s.contains("=")) {
                    return s.substring(s.indexOf('=') + 1).strip();
                }
            }
        } catch (java.io.IOException | RuntimeException unreadable) {
            // not a repository the import made
        }
        return "";
    }

    private static boolean empty(Path disk) {
        try (Stream<Path> entries = Files.list(disk)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void emptyOut(Path disk) {
        try (Stream<Path> entries = Files.list(disk)) {
            entries.forEach(Files2::deleteRecursively);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
