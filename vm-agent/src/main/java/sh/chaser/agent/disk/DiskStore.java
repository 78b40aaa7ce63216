package sh.chaser.agent.disk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import sh.chaser.agent.domain.AgentError;

/**
 * Workspace disks and their snapshots under one root: {@code disks/<id>} and
 * {@code snapshots/<id>/<name>}. Every change is built beside its target ({@code .<name>.new}) and
 * renamed into place; a restore swaps through {@code .<id>.old}. {@link #recover()} finishes or
 * undoes what a crash interrupted, so a disk is always the old or the new state, never a mix.
 * Subclasses supply the copies: btrfs subvolume snapshots, or plain {@code cp -a}.
 */
public abstract class DiskStore {

    private static final Logger LOG = Logger.getLogger(DiskStore.class);
    private static final Pattern DISK_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final Pattern SNAPSHOT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    protected final Path root;
    private Path boundNosuid;

    protected DiskStore(Path root) {
        this.root = root;
    }

    public record Snapshot(String name, FileTime createdAt) {}

    /** {@code btrfs} or {@code copy}: whether snapshots cost the same whatever the disk's size. */
    public abstract String kind();

    /** Each disk's cap in bytes; 0 when this store enforces none. */
    public long capBytes() {
        return 0;
    }

    protected abstract void makeEmpty(Path target);

    /** A writable copy of {@code source} at {@code target} (which does not exist). */
    protected abstract void copyWritable(Path source, Path target);

    /** A read-only copy of {@code source} at {@code target} (which does not exist). */
    protected abstract void copyReadOnly(Path source, Path target);

    protected abstract void remove(Path path);

    /** Releases what opening the store set up (mounts); called once no sandbox uses a disk. */
    public final void close() {
        release();
        if (boundNosuid != null) {
            sh.chaser.agent.host.HostDirectories.unbind(boundNosuid);
        }
    }

    /** What a kind of store set up itself (a loop mount). */
    protected void release() {}

    /** The data directory was bound onto itself to make it nosuid,nodev: {@link #close} undoes it. */
    void boundNosuid(Path dataDir) {
        this.boundNosuid = dataDir;
    }

    public Path path(String diskId) {
        return root.resolve("disks").resolve(validDisk(diskId));
    }

    private Path snapshotPath(String diskId, String name) {
        return root.resolve("snapshots").resolve(validDisk(diskId)).resolve(validSnapshot(name));
    }

    public boolean exists(String diskId) {
        return Files.isDirectory(path(diskId));
    }

    public synchronized Path create(String diskId) {
        Path disk = path(diskId);
        if (!Files.isDirectory(disk)) {
            install(disk, this::makeEmpty);
        }
        return disk;
    }

    /**
     * The scratch space of an ephemeral sandbox: an empty disk of its own in {@code scratch/}, capped
     * like every disk of this store, so one sandbox cannot fill the host's disk; not a workspace disk.
     */
    public synchronized Path scratch(String sessionId) {
        Path scratch = root.resolve("scratch").resolve(validDisk(sessionId));
        if (!Files.isDirectory(scratch)) {
            install(scratch, this::makeEmpty);
        }
        return scratch;
    }

    /** The sessions that have scratch space here (and any half-made one, named {@code .<id>.new}). */
    public synchronized List<String> scratchIds() {
        Path dir = root.resolve("scratch");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes a session's scratch space (or a half-made one, by its listed name). */
    public synchronized void deleteScratch(String name) {
        Path entry = root.resolve("scratch").resolve(name);
        if (!entry.getParent().equals(root.resolve("scratch")) || name.contains("/")) {
            throw new IllegalArgumentException("not a scratch entry: " + name);
        }
        discard(entry);
    }

    public synchronized void clone(String sourceId, String snapshot, String targetId) {
        Path source = snapshot == null || snapshot.isEmpty()
                ? existing(sourceId)
                : existingSnapshot(sourceId, snapshot);
        Path target = path(targetId);
        if (!Files.isDirectory(target)) {
            install(target, staging -> copyWritable(source, staging));
        }
    }

    /**
     * A fork's disk: a writable copy of {@code source} (a sandbox's workspace disk or scratch space)
     * as workspace disk {@code workspaceId}, or as the scratch space of {@code sessionId} when that is
     * null. A disk already there under that name is refused: a fork never takes another's disk.
     */
    public synchronized Path forkOf(Path source, String workspaceId, String sessionId) {
        Path target = workspaceId == null ? root.resolve("scratch").resolve(validDisk(sessionId)) : path(workspaceId);
        if (Files.isDirectory(target)) {
            throw new IllegalArgumentException("disk " + target.getFileName() + " exists already");
        }
        install(target, staging -> copyWritable(source, staging));
        return target;
    }

    public synchronized void snapshot(String diskId, String name) {
        Path disk = existing(diskId);
        Path snapshot = snapshotPath(diskId, name);
        if (!Files.isDirectory(snapshot)) {
            mkdirs(snapshot.getParent());
            install(snapshot, staging -> copyReadOnly(disk, staging));
        }
    }

    /** Every disk on this host, with the time it was made (its directory's time). */
    public synchronized List<Snapshot> disks() {
        Path dir = root.resolve("disks");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> !p.getFileName().toString().startsWith("."))
                    .map(p -> new Snapshot(p.getFileName().toString(), modified(p)))
                    .sorted(Comparator.comparing(Snapshot::createdAt)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized List<Snapshot> snapshots(String diskId) {
        existing(diskId);
        Path dir = root.resolve("snapshots").resolve(diskId);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> !p.getFileName().toString().startsWith("."))
                    .map(p -> new Snapshot(p.getFileName().toString(), modified(p)))
                    .sorted(Comparator.comparing(Snapshot::createdAt)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replaces the disk's content with the snapshot's. */
    public synchronized void restore(String diskId, String name) {
        Path disk = existing(diskId);
        Path snapshot = existingSnapshot(diskId, name);
        Path fresh = staging(disk, "new");
        Path old = staging(disk, "old");
        discard(fresh);
        copyWritable(snapshot, fresh);
        move(disk, old);
        move(fresh, disk);
        // the replaced content goes to the trash and is deleted after the answer
        Path trashed = root.resolve("trash").resolve(java.util.UUID.randomUUID().toString());
        move(old, trashed);
        emptyTrashLater();
    }

    private final java.util.concurrent.ExecutorService trash = java.util.concurrent.Executors
            .newSingleThreadExecutor(r -> {
                Thread thread = new Thread(r, "disk-trash");
                thread.setDaemon(true);
                return thread;
            });

    private void emptyTrashLater() {
        trash.execute(this::emptyTrash);
    }

    private void emptyTrash() {
        try (Stream<Path> entries = Files.list(root.resolve("trash"))) {
            for (Path entry : entries.toList()) {
                remove(entry);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warnf("emptying the disk trash failed (%s); retried after the next restore or restart", e.getMessage());
        }
    }

    public synchronized boolean deleteSnapshot(String diskId, String name) {
        Path snapshot = snapshotPath(diskId, name);
        boolean existed = Files.isDirectory(snapshot);
        discard(snapshot);
        return existed;
    }

    public synchronized boolean delete(String diskId) {
        Path disk = path(diskId);
        boolean existed = Files.isDirectory(disk);
        Path snapshots = root.resolve("snapshots").resolve(diskId);
        if (Files.isDirectory(snapshots)) {
            try (Stream<Path> entries = Files.list(snapshots)) {
                entries.forEach(this::discard);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            discard(snapshots);
        }
        discard(disk);
        return existed;
    }

    /** Bytes the disk's files hold. */
    public long usage(String diskId) {
        try (Stream<Path> files = Files.walk(existing(diskId))) {
            return files.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Finishes or undoes what a crash interrupted: afterwards each disk holds the old or the new state. */
    public synchronized void recover() {
        Path disks = root.resolve("disks");
        mkdirs(disks);
        mkdirs(root.resolve("snapshots"));
        mkdirs(root.resolve("trash"));
        emptyTrashLater();
        try (Stream<Path> entries = Files.list(disks)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (name.startsWith(".") && name.endsWith(".old")) {
                    Path disk = disks.resolve(name.substring(1, name.length() - 4));
                    Path fresh = staging(disk, "new");
                    if (!Files.exists(disk) && Files.isDirectory(fresh)) {
                        move(fresh, disk); // the swap was half done: complete it
                    }
                    if (Files.exists(disk)) {
                        LOG.infof("finishing an interrupted restore of disk %s", disk.getFileName());
                        remove(entry);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // staging entries sit only directly in disks/ and in snapshots/<id>/: never look inside a disk
        List<Path> places = new java.util.ArrayList<>(List.of(disks));
        try (Stream<Path> perDisk = Files.list(root.resolve("snapshots"))) {
            perDisk.filter(Files::isDirectory).forEach(places::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path place : places) {
            try (Stream<Path> entries = Files.list(place)) {
                for (Path leftover : entries.filter(p -> p.getFileName().toString().matches("\\..+\\.new")).toList()) {
                    LOG.infof("discarding interrupted work %s", root.relativize(leftover));
                    remove(leftover);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void install(Path target, java.util.function.Consumer<Path> build) {
        Path staging = staging(target, "new");
        discard(staging);
        mkdirs(target.getParent());
        build.accept(staging);
        move(staging, target);
    }

    private Path existing(String diskId) {
        Path disk = path(diskId);
        if (!Files.isDirectory(disk)) {
            throw AgentError.DISK_NOT_FOUND.exception("no disk " + diskId + " on this host");
        }
        return disk;
    }

    private Path existingSnapshot(String diskId, String name) {
        existing(diskId);
        Path snapshot = snapshotPath(diskId, name);
        if (!Files.isDirectory(snapshot)) {
            throw AgentError.SNAPSHOT_NOT_FOUND.exception("disk " + diskId + " has no snapshot " + name);
        }
        return snapshot;
    }

    private void discard(Path path) {
        if (Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            remove(path);
        }
    }

    private static Path staging(Path target, String suffix) {
        return target.resolveSibling("." + target.getFileName() + "." + suffix);
    }

    private static void move(Path from, Path to) {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void mkdirs(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** When the entry was renamed into place (its inode change time): a snapshot's creation. */
    private static FileTime modified(Path path) {
        try {
            return (FileTime) Files.getAttribute(path, "unix:ctime", java.nio.file.LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    static String validDisk(String id) {
        if (id == null || !DISK_ID.matcher(id).matches()) {
            throw AgentError.INVALID_REQUEST.exception("disk_id must be 1-64 letters, digits, '-' or '_'");
        }
        return id;
    }

    static String validSnapshot(String name) {
        if (name == null || !SNAPSHOT.matcher(name).matches()) {
            throw AgentError.INVALID_REQUEST.exception("snapshot names are 1-64 letters, digits, '.', '-' or '_'");
        }
        return name;
    }

}
