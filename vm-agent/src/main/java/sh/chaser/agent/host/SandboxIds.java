package sh.chaser.agent.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * Whose ids a sandbox's processes have on the host: ids 0..65535 inside map to
 * {@value #HOST_BASE}..{@value #HOST_BASE}+65535 outside (one range for every sandbox, as Docker's
 * userns-remap), so nothing in a sandbox is ever host root or any host user. The range must be
 * reserved for Chaser (no entry of /etc/subuid or /etc/passwd in it). The session user is
 * {@value #USER} inside; files it writes belong to host uid {@value #HOST_BASE} + {@value #USER}.
 */
public final class SandboxIds {

    public static final long HOST_BASE = 2_000_000_000L;
    public static final int RANGE = 65536;
    public static final int USER = 1000;

    private SandboxIds() {}

    public static long hostUser() {
        return HOST_BASE + USER;
    }

    /**
     * Hands a tree the agent wrote as host root (a git import, a workspace made before sandboxes had
     * their own ids) to the session user. Symbolic links are changed, never followed.
     */
    public static void own(Path tree) {
        String owner = hostUser() + ":" + hostUser();
        Commands.run(List.of("chown", "-R", "-P", owner, tree.toString()));
    }

    /** {@link #own} unless the tree's top already belongs to the session user (the one-time migration). */
    public static void ownOnce(Path tree) {
        try {
            Object uid = Files.getAttribute(tree, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            if (((Number) uid).longValue() == hostUser()) {
                return;
            }
            if (isEmptyDirectory(tree)) {
                // a new sandbox's fresh disk: no chown process to start (about 10 ms of a boot's CPU)
                Files.setAttribute(tree, "unix:uid", (int) hostUser(), LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(tree, "unix:gid", (int) hostUser(), LinkOption.NOFOLLOW_LINKS);
            } else {
                own(tree);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean isEmptyDirectory(Path tree) throws IOException {
        if (!Files.isDirectory(tree, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (var entries = Files.newDirectoryStream(tree)) {
            return !entries.iterator().hasNext();
        }
    }
}
