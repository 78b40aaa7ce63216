package sh.chaser.agent.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import sh.chaser.agent.domain.AgentException;
import sh.chaser.agent.host.Files2;
import sh.chaser.testhost.NeedsRoot;
import sh.chaser.testhost.NeedsTools;

/** Both disk stores, for real: btrfs in a loop-mounted file (root), and plain copies. */
@NeedsRoot("btrfs in a loop-mounted file")
@NeedsTools("mkfs.btrfs")
class DiskStoreTest {

    private static final long CAP = 16L << 20;
    private Path data;
    private DiskStore store;

    private DiskStore open(String mode) throws IOException {
        data = Files.createDirectories(Path.of("target/disk-store-test", UUID.randomUUID().toString()))
                .toAbsolutePath();
        store = DiskStores.open(data, mode, 1L << 30, CAP);
        assertThat(store.kind()).isEqualTo(mode);
        return store;
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
            Files2.deleteRecursively(data);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "btrfs", "copy" })
    void restoreBringsBackExactlyTheSnapshot(String mode) throws IOException {
        open(mode);
        Path disk = store.create("w1");
        Files.writeString(disk.resolve("a.txt"), "first");
        Path secret = Files.writeString(Files.createDirectories(disk.resolve("dir")).resolve("b.txt"), "private");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Files.createSymbolicLink(disk.resolve("link"), Path.of("a.txt"));
        store.snapshot("w1", "s1");
        store.snapshot("w1", "s1"); // idempotent

        Files.writeString(disk.resolve("c.txt"), "added later");
        Files.delete(disk.resolve("a.txt"));
        Files.writeString(secret, "changed");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rwxrwxrwx"));
        store.restore("w1", "s1");

        disk = store.path("w1");
        assertThat(disk.resolve("c.txt")).doesNotExist();
        assertThat(disk.resolve("a.txt")).hasContent("first");
        assertThat(disk.resolve("dir/b.txt")).hasContent("private");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(disk.resolve("dir/b.txt"))))
                .isEqualTo("rw-------");
        assertThat(Files.readSymbolicLink(disk.resolve("link"))).isEqualTo(Path.of("a.txt"));
        assertThat(store.snapshots("w1")).extracting(DiskStore.Snapshot::name).containsExactly("s1");
        assertThat(store.usage("w1")).isEqualTo("first".length() + "private".length());
    }

    @ParameterizedTest
    @ValueSource(strings = { "btrfs", "copy" })
    void clonesFromADiskOrASnapshotAreIndependent(String mode) throws IOException {
        open(mode);
        Files.writeString(store.create("src").resolve("f"), "v1");
        store.snapshot("src", "v1");
        Files.writeString(store.path("src").resolve("f"), "v2");
        store.clone("src", "", "from-disk");
        store.clone("src", "v1", "from-snapshot");
        Files.writeString(store.path("from-disk").resolve("f"), "mine");

        assertThat(store.path("src").resolve("f")).hasContent("v2");
        assertThat(store.path("from-disk").resolve("f")).hasContent("mine");
        assertThat(store.path("from-snapshot").resolve("f")).hasContent("v1");
        assertThat(store.delete("src")).isTrue();
        assertThat(store.delete("src")).isFalse();
        assertThat(store.path("from-snapshot").resolve("f")).hasContent("v1");
        assertThatThrownBy(() -> store.snapshots("src")).isInstanceOfSatisfying(AgentException.class,
                e -> assertThat(e.error().code()).isEqualTo("disk_not_found"));
        assertThatThrownBy(() -> store.restore("from-disk", "nope")).isInstanceOfSatisfying(AgentException.class,
                e -> assertThat(e.error().code()).isEqualTo("snapshot_not_found"));
        assertThatThrownBy(() -> store.create("../escape")).isInstanceOfSatisfying(AgentException.class,
                e -> assertThat(e.error().code()).isEqualTo("invalid_request"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "btrfs", "copy" })
    void anInterruptedRestoreEndsInTheOldOrTheNewStateNeverAMix(String mode) throws IOException {
        open(mode);
        // crash before the swap: the old state stays, the half-made copy goes
        Files.writeString(store.create("a").resolve("state"), "old");
        // files of the user's that merely look like staging entries are not touched
        Files.writeString(store.path("a").resolve(".notes.new"), "mine");
        Files.writeString(Files.createDirectories(store.path("a").resolve("deep/er")).resolve(".x.new"), "mine too");
        Path halfMade = Files.createDirectories(store.path("a").resolveSibling(".a.new"));
        Files.writeString(halfMade.resolve("state"), "half");
        store.recover();
        assertThat(store.path("a").resolve("state")).hasContent("old");
        assertThat(store.path("a").resolveSibling(".a.new")).doesNotExist();
        assertThat(store.path("a").resolve(".notes.new")).hasContent("mine");
        assertThat(store.path("a").resolve("deep/er/.x.new")).hasContent("mine too");

        // crash between the two renames: the new state is put in place
        Files.writeString(store.create("b").resolve("state"), "new");
        Files.move(store.path("b"), store.path("b").resolveSibling(".b.new"));
        Files.writeString(store.create("b-was").resolve("state"), "old");
        Files.move(store.path("b-was"), store.path("b").resolveSibling(".b.old"));
        store.recover();
        assertThat(store.path("b").resolve("state")).hasContent("new");
        assertThat(store.path("b").resolveSibling(".b.old")).doesNotExist();
    }

    @org.junit.jupiter.api.Test
    void aBtrfsDiskStopsAtItsCap() throws IOException {
        open("btrfs");
        Path disk = store.create("capped");
        byte[] mib = new byte[1 << 20];
        assertThatThrownBy(() -> {
            try (var out = Files.newOutputStream(disk.resolve("big"))) {
                for (int i = 0; i < 64; i++) {
                    out.write(mib);
                    out.flush();
                }
            }
        }).isInstanceOf(IOException.class).hasMessageContaining("quota");
    }
}
