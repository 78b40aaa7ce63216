package sh.chaser.agent.firecracker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The jail the stand-in firecracker runs in when the stand-in jailer started it: the directory it
 * was copied into is its root, whose owner is the VM's uid. The stand-in cannot chroot (it is a
 * JVM reading its classes from the host), so it resolves every path the API names under that root,
 * as the jailed firecracker would see it, and opens them with the uid's rights only (through
 * {@code setpriv}), as firecracker does after the jailer dropped root.
 */
record StandInJail(Path root, long uid) {

    /** The jail of a stand-in started from {@code root}, or null when it runs unjailed. */
    static StandInJail of(String root) {
        if (root == null) {
            return null;
        }
        try {
            Path dir = Path.of(root).toRealPath();
            return new StandInJail(dir, ((Number) Files.getAttribute(dir, "unix:uid")).longValue());
        } catch (IOException e) {
            throw new IllegalStateException("no jail at " + root, e);
        }
    }

    Path host(String pathInJail) {
        if (!pathInJail.startsWith("/")) {
            throw new IllegalArgumentException("not a path in the jail: " + pathInJail);
        }
        return root.resolve(pathInJail.substring(1));
    }

    /** Why the jailed firecracker could not open the file (null when it can), in Firecracker's words. */
    String refusal(String pathInJail, boolean write) {
        Path file = host(pathInJail);
        if (!Files.exists(file)) {
            return "No such file or directory (os error 2): " + pathInJail;
        }
        List<String> test = new ArrayList<>(asUser("test", "-r", file.toString()));
        if (write) {
            test.addAll(List.of("-a", "-w", file.toString()));
        }
        try {
            Process process = new ProcessBuilder(test).redirectErrorStream(true).start();
            return process.waitFor() == 0 ? null : "Permission denied (os error 13): " + pathInJail + " as uid " + uid;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A command as the jail's uid and gid, without root's supplementary groups. */
    List<String> asUser(String... command) {
        List<String> argv = new ArrayList<>(
                List.of("setpriv", "--reuid", Long.toString(uid), "--regid", Long.toString(uid),
                        "--clear-groups"));
        argv.addAll(List.of(command));
        return argv;
    }
}
