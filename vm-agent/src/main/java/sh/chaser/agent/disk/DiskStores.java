package sh.chaser.agent.disk;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jboss.logging.Logger;
import sh.chaser.agent.host.Commands;
import sh.chaser.agent.host.HostDirectories;

/**
 * Chooses the disk store: btrfs where the data directory is on btrfs; otherwise, when allowed and
 * possible (root, btrfs-progs, loop devices), a btrfs file system in a sparse file of the agent's
 * making, mounted through a loop device (and unmounted when the agent stops its sandboxes on
 * shutdown; otherwise it stays mounted for the sandboxes that outlive the agent); otherwise plain
 * copies.
 */
public final class DiskStores {

    private static final Logger LOG = Logger.getLogger(DiskStores.class);

    private DiskStores() {}

    /** @param mode {@code auto}, {@code btrfs} or {@code copy} */
    public static DiskStore open(Path dataDir, String mode, long loopFileBytes, long capBytes) {
        Path root = dataDir.resolve("disk-store");
        // first, so a loop mount goes on top: the data directory holds ephemeral scratch and, in copy
        // mode, the disks; tenant files all
        boolean bound = HostDirectories.canMount() && HostDirectories.nosuidNodev(dataDir);
        DiskStore store;
        try {
            store = choose(dataDir, root, mode, loopFileBytes, capBytes);
        } catch (RuntimeException e) {
            if (bound) {
                HostDirectories.unbind(dataDir);
            }
            throw e;
        }
        DiskStore.mkdirs(root);
        if (bound) {
            store.boundNosuid(dataDir);
        }
        HostDirectories.passable(root);
        for (String dir : List.of("disks", "snapshots")) {
            DiskStore.mkdirs(root.resolve(dir));
        }
        DiskStore.mkdirs(root.resolve("scratch"));
        HostDirectories.passable(root.resolve("disks"));
        HostDirectories.passable(root.resolve("scratch"));
        HostDirectories.ownerOnly(root.resolve("snapshots"));
        store.recover();
        LOG.infof("disk store: %s at %s", store.kind(), root);
        return store;
    }

    private static DiskStore choose(Path dataDir, Path root, String mode, long loopFileBytes, long capBytes) {
        return switch (mode) {
            case "copy" -> new CopyDiskStore(root);
            case "btrfs" -> btrfs(dataDir, root, loopFileBytes, capBytes);
            case "auto" -> {
                try {
                    yield btrfs(dataDir, root, loopFileBytes, capBytes);
                } catch (RuntimeException e) {
                    LOG.warnf("no copy-on-write storage (%s): disks are plain directories, snapshots full copies",
                            e.getMessage());
                    yield new CopyDiskStore(root);
                }
            }
            default ->
                throw new IllegalArgumentException("chaser.agent.disks.mode must be auto, btrfs or copy: " + mode);
        };
    }

    private static DiskStore btrfs(Path dataDir, Path root, long loopFileBytes, long capBytes) {
        DiskStore.mkdirs(root);
        boolean loop = !"btrfs".equals(fileSystem(root));
        if (loop) {
            Path image = dataDir.resolve("disk-store.btrfs");
            if (!Files.exists(image)) {
                try (var file = new RandomAccessFile(image.toFile(), "rw")) {
                    file.setLength(loopFileBytes);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                Commands.run(List.of("mkfs.btrfs", "-q", image.toString()));
                LOG.infof("created a btrfs file system in %s (%d GiB sparse)", image, loopFileBytes >> 30);
            }
            Commands.run(List.of("mount", "-o", "loop,nosuid,nodev", image.toString(), root.toString()));
        }
        return new BtrfsDiskStore(root, capBytes, loop);
    }

    private static String fileSystem(Path path) {
        return Commands.run(List.of("stat", "-f", "-c", "%T", path.toString())).strip();
    }
}
