package sh.chaser.agent.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sparse file copied block by block (what a paused sandbox's move does with its memory and disk):
 * the copy has the same bytes, and only the blocks holding data are sent (a 4 GiB file with 3 MiB of
 * data and 1 MiB of written zeros sends its 3 MiB and its size).
 */
class SparseBlocksTest {

    @TempDir
    Path dir;

    @Test
    void onlyDataIsSentAndTheCopyHasTheSameBytes() throws Exception {
        Path original = dir.resolve("original");
        byte[] head = new byte[4096];
        byte[] middle = new byte[3 << 20];
        new Random(7).nextBytes(head);
        new Random(8).nextBytes(middle);
        try (RandomAccessFile f = new RandomAccessFile(original.toFile(), "rw")) {
            f.setLength(4L << 30);
            f.write(head);
            f.seek(100L << 20);
            f.write(middle);
            f.seek(200L << 20);
            f.write(new byte[1 << 20]); // written zeros: data on disk, nothing to send
        }
        Path copy = dir.resolve("copy");
        long sent = 0;
        int blocks = 0;
        long offset = 0;
        while (true) {
            SparseBlocks.Block block = SparseBlocks.read(original, offset);
            if (block.data() == null) {
                SparseBlocks.truncate(copy, block.size());
                break;
            }
            SparseBlocks.write(copy, block.offset(), block.data());
            sent += block.data().length;
            blocks++;
            offset = block.offset() + block.data().length;
        }
        assertThat(Files.size(copy)).isEqualTo(4L << 30);
        assertThat(sent).as("the data, in whole blocks at most").isBetween((long) head.length + middle.length,
                (long) head.length + middle.length + 2 * SparseBlocks.BLOCK);
        assertThat(blocks).isLessThanOrEqualTo(5);
        try (RandomAccessFile a = new RandomAccessFile(original.toFile(), "r");
                RandomAccessFile b = new RandomAccessFile(copy.toFile(), "r")) {
            for (long at : new long[]{ 0, 100L << 20, (100L << 20) + (2 << 20), 200L << 20, (4L << 30) - 4096 }) {
                byte[] x = new byte[4096];
                byte[] y = new byte[4096];
                a.seek(at);
                a.readFully(x);
                b.seek(at);
                b.readFully(y);
                assertThat(y).as("at %d", at).isEqualTo(x);
            }
        }
    }
}
