package sh.chaser.agent.runtime.microvm;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import sh.chaser.agent.domain.AgentError;
import sh.chaser.agent.host.Files2;

/**
 * A paused VM on the host's disk store, beside its workspace disk: the guest's RAM stays in its
 * memory file ({@code .vm-memory/<session>.raw}), the devices' state and a manifest go to
 * {@code .vm-paused/<session>/}. The manifest is written last and renamed into place, so a pause
 * is either sealed or not there; it holds the SHA-256 of the state and of the memory, and the
 * workspace image's size and modification time (hashing a 10 GiB sparse image would cost tens of
 * seconds; nothing may write it while the session is paused, and a resume refuses if something did).
 */
public final class PausedVm {

    private static final String STATE = "state";
    private static final String MANIFEST = "manifest.json";
    private final Path dir;
    private final Path memory;

    PausedVm(Path storeRoot, String sessionId) {
        this.dir = storeRoot.resolve(".vm-paused").resolve(sessionId);
        this.memory = storeRoot.resolve(".vm-memory").resolve(sessionId + ".raw");
    }

    /** The file the VM's RAM lives in, made owner-only and empty when there is none yet. */
    Path memory() {
        if (!Files.exists(memory)) {
            Files2.createDirectories(memory.getParent());
            try {
                Files.createFile(memory, java.nio.file.attribute.PosixFilePermissions
                        .asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // made meanwhile
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return memory;
    }

    /** Where the devices' state goes, in a fresh directory (what an interrupted pause left is dropped). */
    Path freshState() {
        Files2.deleteRecursively(dir);
        Files2.createDirectories(dir);
        return dir.resolve(STATE);
    }

    Path state() {
        return dir.resolve(STATE);
    }

    boolean sealed() {
        return Files.exists(dir.resolve(MANIFEST));
    }

    /** Writes the manifest of what the pause saved; from then on the pause has happened. */
    void seal(Path workspace, JsonObject shape) {
        JsonObject manifest = new JsonObject().put("version", 1).put("shape", shape)
                .put("state_sha256", sha256(state())).put("memory_sha256", sha256(memory))
                .put("memory_bytes", size(memory)).put("workspace", fingerprint(workspace));
        Path fresh = dir.resolve(MANIFEST + ".new");
        try {
            Files.writeString(fresh, manifest.encodePrettily());
            Files.move(fresh, dir.resolve(MANIFEST), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sealed manifest, after checking that the files are still what it says; else snapshot_corrupt. */
    JsonObject verify(Path workspace) {
        JsonObject manifest;
        try {
            manifest = new JsonObject(Files.readString(dir.resolve(MANIFEST)));
        } catch (IOException | RuntimeException e) {
            throw AgentError.SNAPSHOT_CORRUPT.exception("the pause's manifest cannot be read: " + e.getMessage());
        }
        if (!Files.exists(state()) || !sha256(state()).equals(manifest.getString("state_sha256"))) {
            throw AgentError.SNAPSHOT_CORRUPT.exception("the saved device state does not match its manifest");
        }
        if (!Files.exists(memory) || !sha256(memory).equals(manifest.getString("memory_sha256"))) {
            throw AgentError.SNAPSHOT_CORRUPT.exception("the saved memory does not match its manifest");
        }
        if (!fingerprint(workspace).equals(manifest.getJsonObject("workspace"))) {
            throw AgentError.SNAPSHOT_CORRUPT.exception("the workspace disk changed while the session was paused");
        }
        return manifest;
    }

    /** The sealed manifest as written (what another host checks a moved copy against). */
    String manifest() {
        try {
            return Files.readString(dir.resolve(MANIFEST));
        } catch (IOException e) {
            throw AgentError.SNAPSHOT_CORRUPT.exception("the pause's manifest cannot be read: " + e.getMessage());
        }
    }

    /** The memory file as it is (a read of a paused VM's RAM; nothing is made). */
    Path memoryFile() {
        return memory;
    }

    /**
     * Seals a copy another host sent: its state and memory must hash as {@code manifest} says and
     * its workspace image must be as large; the manifest is then written with this host's image's
     * fingerprint. Else snapshot_corrupt, and nothing is sealed.
     */
    void adopt(String manifest, Path workspace) {
        JsonObject sealed;
        try {
            sealed = new JsonObject(manifest);
        } catch (RuntimeException e) {
            throw AgentError.SNAPSHOT_CORRUPT.exception("the moved pause's manifest is not JSON: " + e.getMessage());
        }
        if (!Files.exists(state()) || !sha256(state()).equals(sealed.getString("state_sha256"))) {
            throw AgentError.SNAPSHOT_CORRUPT.exception("the moved device state does not match its manifest");
        }
        if (!Files.exists(memory) || !sha256(memory).equals(sealed.getString("memory_sha256"))) {
            throw AgentError.SNAPSHOT_CORRUPT.exception("the moved memory does not match its manifest");
        }
        JsonObject disk = sealed.getJsonObject("workspace", new JsonObject());
        if (!Files.exists(workspace) || size(workspace) != disk.getLong("bytes", -1L)) {
            throw AgentError.SNAPSHOT_CORRUPT.exception("the moved disk is not as large as its manifest says");
        }
        sealed.put("workspace", fingerprint(workspace));
        Path fresh = dir.resolve(MANIFEST + ".new");
        try {
            Files.writeString(fresh, sealed.encodePrettily());
            Files.move(fresh, dir.resolve(MANIFEST), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A fork's memory file: a copy of this one (a reflink where the disk store can: the pages are
     * shared on disk until either VM writes them), owner-only like every memory file.
     */
    void copyMemory(PausedVm fork) {
        Files2.createDirectories(fork.memory.getParent());
        var copy = sh.chaser.agent.host.Commands.tryRun(java.util.List.of("cp", "--reflink=auto", "--sparse=always",
                memory.toString(), fork.memory.toString()), null);
        if (copy.exit() != 0) {
            throw AgentError.BOOT_FAILED.exception("the paused memory was not copied: " + copy.output().strip());
        }
        try {
            Files.setPosixFilePermissions(fork.memory,
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Back to running: the state and manifest go (the memory file stays, the VM lives in it again). */
    void unseal() {
        Files2.deleteRecursively(dir);
    }

    /** The session is over: its saved state and its memory go. */
    void delete() {
        Files2.deleteRecursively(dir);
        try {
            Files.deleteIfExists(memory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonObject fingerprint(Path file) {
        try {
            return new JsonObject().put("bytes", Files.size(file))
                    .put("modified_ns", Files.getLastModifiedTime(file).to(java.util.concurrent.TimeUnit.NANOSECONDS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) > 0;) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
