package sh.chaser.agent.runtime.microvm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import sh.chaser.agent.disk.DiskStore;
import sh.chaser.agent.domain.AgentError;
import sh.chaser.agent.domain.MovedSandbox;
import sh.chaser.agent.domain.SandboxRecord;
import sh.chaser.agent.domain.SandboxSpec;
import sh.chaser.agent.domain.SavedBlock;
import sh.chaser.agent.domain.SavedFile;
import sh.chaser.agent.host.SparseBlocks;

/**
 * A paused ephemeral VM moving to another host: read here block by block (its device state, memory
 * file and disk image, holes left out), written there block by block, sealed there once its state and
 * memory hash as the pause's manifest says. The VM's kernel and disks of its image must be the same
 * bytes on both hosts (the guest's memory holds the kernel and caches their pages): {@link #VM_FILES}.
 * A workspace's sandbox does not move: its disk belongs to its workspace, which stays on its host.
 */
final class PausedMoves {

    /** The handle's resource saying the guest still has another slot's identity: a resume tells it its own. */
    static final String NEW_IDENTITY = "new_identity";
    /** The SHA-256 of the VM's kernel and image disks, which both hosts must have alike. */
    static final String VM_FILES = "vm_files";
    private static final String IMPORT = ".import";
    private final Path storeRoot;
    private final DiskStore disks;
    private final Map<String, String> hashes = new ConcurrentHashMap<>();

    PausedMoves(Path storeRoot, DiskStore disks) {
        this.storeRoot = storeRoot;
        this.disks = disks;
    }

    MovedSandbox describe(SandboxRecord record, String vmFiles, String controlPort) {
        SandboxSpec spec = movable(record.spec());
        PausedVm paused = sealed(spec.sessionId());
        if (!"true".equals(controlPort)) {
            throw AgentError.UNSUPPORTED_RUNTIME.exception("the VM of sandbox " + spec.sessionId()
                    + " was started before moves existed (it has no control port)");
        }
        Map<String, String> resources = new HashMap<>(Map.of(VM_FILES, vmFiles));
        String chromium = record.handle().resource("browser_command");
        if (chromium != null) {
            resources.put("browser_command", chromium);
        }
        return new MovedSandbox(spec, record.runtime(), paused.manifest(), resources, List.of());
    }

    SavedBlock read(SandboxRecord record, SavedFile file, long offset) {
        String sessionId = movable(record.spec()).sessionId();
        SparseBlocks.Block block = SparseBlocks.read(path(sealed(sessionId), sessionId, file, false), offset);
        return block.data() == null
                ? new SavedBlock(file, "", block.size(), null, block.size(), true)
                : new SavedBlock(file, "", block.offset(), block.data(), block.size(), false);
    }

    /** Whether the sandbox's sealed pause here has the state and memory {@code manifest} names. */
    boolean holds(String sessionId, String manifest) {
        PausedVm paused = new PausedVm(storeRoot, sessionId);
        if (!paused.sealed()) {
            return false;
        }
        try {
            var here = new io.vertx.core.json.JsonObject(paused.manifest());
            var there = new io.vertx.core.json.JsonObject(manifest);
            return here.getString("state_sha256").equals(there.getString("state_sha256"))
                    && here.getString("memory_sha256").equals(there.getString("memory_sha256"));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Starts taking a moved copy: what an interrupted import of it left goes first. */
    void begin(MovedSandbox moved, String vmFiles) {
        String sessionId = movable(moved.spec()).sessionId();
        if (!vmFiles.equals(moved.resources().get(VM_FILES))) {
            throw AgentError.INVALID_REQUEST.exception("this host's VM kernel or image disks differ from those of the"
                    + " host that paused sandbox " + sessionId + ": it can resume only where they are the same");
        }
        abandon(sessionId);
        PausedVm paused = new PausedVm(storeRoot, sessionId);
        paused.freshState();
        Path memory = paused.memoryFile();
        try {
            Files.createDirectories(memory.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void write(SandboxSpec spec, SavedBlock block) {
        String sessionId = movable(spec).sessionId();
        SparseBlocks.put(path(new PausedVm(storeRoot, sessionId), sessionId, block.file(), true), block);
    }

    /** Seals the copy (snapshot_corrupt, and nothing kept, when it is not what the manifest says). */
    void commit(MovedSandbox moved) {
        String sessionId = moved.spec().sessionId();
        Path disk = disks.scratch(sessionId).resolve(WorkspaceImage.NAME);
        try {
            Files.move(disk.resolveSibling(WorkspaceImage.NAME + IMPORT), disk, StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            new PausedVm(storeRoot, sessionId).adopt(moved.manifest(), disk);
        } catch (IOException | RuntimeException e) {
            abandon(sessionId);
            throw e instanceof IOException io
                    ? AgentError.SNAPSHOT_CORRUPT.exception("the moved disk is missing: "
                            + io.getMessage())
                    : (RuntimeException) e;
        }
    }

    /** Drops what an import of the sandbox wrote. */
    void abandon(String sessionId) {
        new PausedVm(storeRoot, sessionId).delete();
        disks.deleteScratch(sessionId);
    }

    /** The SHA-256 of these files' bytes, each hashed once per size and modification time. */
    String fingerprint(List<Path> files) {
        StringBuilder all = new StringBuilder();
        for (Path file : files) {
            try {
                String key = file + "|" + Files.size(file) + "|" + Files.getLastModifiedTime(file).toMillis();
                all.append(hashes.computeIfAbsent(key, k -> PausedVm.sha256(file))).append('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return ErofsImages.hash(all.toString());
    }

    private Path path(PausedVm paused, String sessionId, SavedFile file, boolean importing) {
        return switch (file) {
            case STATE -> paused.state();
            case MEMORY -> paused.memoryFile();
            case DISK -> disks.scratch(sessionId).resolve(WorkspaceImage.NAME + (importing ? IMPORT : ""));
            case COMMAND -> throw AgentError.INVALID_REQUEST.exception("a command's file is not the VM's");
        };
    }

    private PausedVm sealed(String sessionId) {
        PausedVm paused = new PausedVm(storeRoot, sessionId);
        if (!paused.sealed()) {
            throw AgentError.SANDBOX_NOT_RUNNING.exception("sandbox " + sessionId + " is not paused here");
        }
        return paused;
    }

    private static SandboxSpec movable(SandboxSpec spec) {
        if (!spec.ephemeral()) {
            throw AgentError.INVALID_REQUEST.exception("sandbox " + spec.sessionId() + " has a workspace disk, which"
                    + " stays on the host that keeps it: it resumes only there");
        }
        return spec;
    }
}
