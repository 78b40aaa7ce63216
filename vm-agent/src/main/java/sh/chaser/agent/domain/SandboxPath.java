package sh.chaser.agent.domain;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * Resolves a path a client names inside a sandbox, the way the sandbox itself would, and refuses
 * every way out: a {@code ..} component, an absolute symbolic link (it would resolve against the
 * host's root when followed from outside), anything under {@code /proc}, {@code /sys} or {@code /dev},
 * and anything but a regular file or directory. Relative paths start at {@code /workspace}.
 */
public final class SandboxPath {

    /** What the file system holds at a path: a kind and, for links, the link's target. */
    public record Entry(Kind kind, String linkTarget) {
        public static final Entry MISSING = new Entry(Kind.MISSING, null);
    }

    public enum Kind { MISSING, FILE, DIRECTORY, SYMLINK, OTHER }

    /** Looks at one sandbox path without following a final symbolic link. */
    @FunctionalInterface
    public interface View {
        Entry lstat(String absolutePath);
    }

    public static final String WORKSPACE = "/workspace";
    private static final Set<String> SYSTEM = Set.of("proc", "sys", "dev");
    private static final int MAX_LINKS = 40;

    private SandboxPath() {
    }

    /** The resolved absolute path (no links left in it) and what is there. */
    public record Resolved(String path, Entry entry) {
    }

    public static Resolved resolve(String requested, View view) {
        if (requested == null || requested.isBlank()) {
            throw invalid("path is required");
        }
        if (requested.indexOf('\0') >= 0 || requested.length() > 4096) {
            throw refused("path holds a NUL byte or is longer than 4096 characters");
        }
        String absolute = requested.startsWith("/") ? requested : WORKSPACE + "/" + requested;
        Deque<String> pending = new ArrayDeque<>();
        for (String part : absolute.split("/")) {
            if (part.equals("..")) {
                throw refused("path may not contain '..'");
            }
            if (!part.isEmpty() && !part.equals(".")) {
                pending.add(part);
            }
        }
        List<String> done = new ArrayList<>();
        Entry entry = new Entry(Kind.DIRECTORY, null);
        int links = 0;
        while (!pending.isEmpty()) {
            String part = pending.poll();
            if (part.equals("..")) {
                // only a link's target brings '..' here: it climbs within the sandbox, never above its root
                if (!done.isEmpty()) {
                    done.remove(done.size() - 1);
                }
                continue;
            }
            done.add(part);
            entry = view.lstat(join(done));
            if (entry.kind() == Kind.SYMLINK) {
                if (++links > MAX_LINKS) {
                    throw refused("too many symbolic links in " + requested);
                }
                String target = entry.linkTarget();
                if (target.startsWith("/")) {
                    throw refused("path leads through an absolute symbolic link: " + join(done) + " -> " + target);
                }
                done.remove(done.size() - 1);
                List<String> parts = new ArrayList<>(List.of(target.split("/")));
                for (int i = parts.size() - 1; i >= 0; i--) {
                    if (!parts.get(i).isEmpty() && !parts.get(i).equals(".")) {
                        pending.addFirst(parts.get(i));
                    }
                }
                entry = new Entry(Kind.DIRECTORY, null);
                continue;
            }
            if (entry.kind() == Kind.MISSING) {
                if (pending.contains("..")) {
                    throw refused("path leads through a symbolic link into a missing directory and back");
                }
                pending.forEach(done::add);
                pending.clear();
            } else if (entry.kind() == Kind.OTHER) {
                throw refused(join(done) + " is a device, socket or pipe, not a file");
            } else if (entry.kind() == Kind.FILE && !pending.isEmpty()) {
                throw invalid(join(done) + " is a file, not a directory");
            }
        }
        if (!done.isEmpty() && SYSTEM.contains(done.get(0))) {
            throw refused("/" + done.get(0) + " is the kernel's, not the sandbox's files");
        }
        return new Resolved(join(done), entry);
    }

    private static String join(List<String> parts) {
        return "/" + String.join("/", parts);
    }

    private static AgentException refused(String message) {
        return AgentError.PATH_NOT_ALLOWED.exception(message);
    }

    private static AgentException invalid(String message) {
        return AgentError.INVALID_ARGUMENT.exception(message);
    }
}
