package sh.chaser.agent.disk;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import sh.chaser.agent.host.Commands;
import sh.chaser.agent.host.Files2;

/**
 * Disks as btrfs subvolumes: a snapshot, a restore and a clone are subvolume snapshots, whose cost
 * does not depend on how much the disk holds. Each disk gets a quota (btrfs qgroup) of
 * {@code capBytes}: writes beyond it fail inside the sandbox with "Disk quota exceeded".
 */
public final class BtrfsDiskStore extends DiskStore {

    private final long capBytes;
    private final boolean loopMounted;

    public BtrfsDiskStore(Path root, long capBytes, boolean loopMounted) {
        super(root);
        this.capBytes = capBytes;
        this.loopMounted = loopMounted;
        Commands.run(List.of("btrfs", "quota", "enable", root.toString()));
    }

    @Override
    public String kind() {
        return "btrfs";
    }

    @Override
    public long capBytes() {
        return capBytes;
    }

    @Override
    protected void release() {
        if (loopMounted) {
            // a mount can be busy for a moment after the last btrfs command (seen in CI): retry,
            // and detach it lazily as a last resort so the file system goes once it is unused
            for (int attempt = 0; attempt < 10; attempt++) {
                if (Commands.tryRun(List.of("umount", root.toString()), null).exit() == 0) {
                    return;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(200_000_000L);
            }
            Commands.run(List.of("umount", "-l", root.toString()));
        }
    }

    @Override
    protected void makeEmpty(Path target) {
        Commands.run(List.of("btrfs", "subvolume", "create", target.toString()));
        limit(target);
    }

    @Override
    protected void copyWritable(Path source, Path target) {
        Commands.run(List.of("btrfs", "subvolume", "snapshot", source.toString(), target.toString()));
        limit(target);
    }

    @Override
    protected void copyReadOnly(Path source, Path target) {
        Commands.run(List.of("btrfs", "subvolume", "snapshot", "-r", source.toString(), target.toString()));
    }

    @Override
    protected void remove(Path path) {
        if (isSubvolume(path)) {
            Commands.run(List.of("btrfs", "subvolume", "delete", path.toString()));
        } else {
            Files2.deleteRecursively(path);
        }
    }

    /** A subvolume's root directory has inode number 256. */
    private static boolean isSubvolume(Path path) {
        try {
            return Long.valueOf(256)
                    .equals(Files.getAttribute(path, "unix:ino", java.nio.file.LinkOption.NOFOLLOW_LINKS));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private void limit(Path subvolume) {
        Commands.run(List.of("btrfs", "qgroup", "limit", Long.toString(capBytes), subvolume.toString()));
    }
}
