package sh.chaser.agent.runtime.firecracker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import sh.chaser.agent.domain.AgentError;
import sh.chaser.agent.host.Commands;
import sh.chaser.agent.host.Files2;
import sh.chaser.agent.host.MountTable;

/**
 * One VM's jail as Firecracker's jailer lays it out: {@code <chroot base>/<binary's name>/<id>/root}.
 * The jailer copies firecracker in, makes /dev/kvm and /dev/net/tun, pivots into the root and drops
 * to the VM's uid, so every path the API is given is relative to that root. What the VM reads
 * (kernel, initramfs, disks) is bound in before the jailer starts: it unshares its mount namespace
 * and sees only mounts made before that. Bind mounts, not hard links, because the disks live on
 * other filesystems (the workspace on btrfs, the images in the image cache).
 */
final class FirecrackerJail {

    /** The API socket as the jailed firecracker names it (short: the host's path to it is long). */
    static final String API_SOCKET = "/api.sock";
    private final Path base;

    FirecrackerJail(Path chrootBase, String binaryName) {
        this.base = chrootBase.resolve(binaryName);
    }

    /** The jailer accepts ids of letters, digits and hyphens, at most 64 long (session ids are UUIDs). */
    static String id(String sessionId) {
        if (!sessionId.matches("[A-Za-z0-9-]{1,64}")) {
            throw AgentError.BOOT_FAILED.exception("session id " + sessionId + " cannot name a Firecracker jail");
        }
        return sessionId;
    }

    Path base() {
        return base.getParent();
    }

    Path dir(String id) {
        return base.resolve(id);
    }

    Path root(String id) {
        return dir(id).resolve("root");
    }

    Path apiSocket(String id) {
        return root(id).resolve(API_SOCKET.substring(1));
    }

    /**
     * Starts the jailer for this jail: it execs firecracker in its own process (no --daemonize, no
     * --new-pid-ns), so the process's pid is the VM's; a session of its own, so it outlives the agent.
     */
    Process start(String jailer, String binary, String id, long user, Path console) throws IOException {
        return new ProcessBuilder(Commands.executable("setsid"), jailer, "--id", id, "--exec-file", binary,
                "--uid", Long.toString(user), "--gid", Long.toString(user), "--chroot-base-dir", base().toString(),
                "--", "--api-sock", API_SOCKET)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(console.toFile()))
                .redirectErrorStream(true).start();
    }

    /** Binds a host file into the jail's root; returns the path the jailed firecracker knows it by. */
    String bind(String id, String name, Path source, boolean readOnly) {
        Path target = root(id).resolve(name);
        try {
            Files.createDirectories(target.getParent());
            if (!Files.exists(target)) {
                Files.createFile(target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> mount = new ArrayList<>(List.of("mount", "--bind"));
        if (readOnly) {
            mount.addAll(List.of("-o", "ro"));
        }
        mount.addAll(List.of(source.toString(), target.toString()));
        Commands.run(mount);
        return "/" + name;
    }

    /** Unbinds what was bound and removes the jail; its firecracker must be gone. */
    void remove(String id) {
        Path dir = dir(id);
        if (!Files.exists(dir)) {
            return;
        }
        // a file bound twice (an interrupted boot tried again) shows up twice: unmount until none is left
        for (List<Path> mounts = MountTable.below(dir); !mounts.isEmpty(); mounts = MountTable.below(dir)) {
            for (Path point : mounts) {
                var result = Commands.tryRun(List.of("umount", point.toString()), null);
                if (result.exit() != 0) {
                    throw new IllegalStateException("cannot unmount " + point + " from the jail of " + id + ": "
                            + result.output().strip());
                }
            }
        }
        Files2.deleteRecursively(dir);
    }
}
