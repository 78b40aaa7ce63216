package sh.chaser.agent.host;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * A sparse file copied block by block: a read answers the first block at or after an offset that holds
 * a byte other than zero (a hole, or a run of written zeros, is not sent; holes are not even read:
 * {@link DataRanges}); a write puts a block where it
 * was and the last write sets the size, so the copy has holes where the original had nothing.
 */
public final class SparseBlocks {

    /** The largest block a read answers. */
    public static final int BLOCK = 1 << 20;
    private static final byte[] ZEROS = new byte[BLOCK];

    private SparseBlocks() {}

    /** A found block: its offset and bytes; null bytes when only zeros lie at or after the offset. */
    public record Block(long offset, byte[] data, long size) {}

    public static Block read(Path file, long offset) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            ByteBuffer buffer = ByteBuffer.allocate(BLOCK);
            for (DataRanges.Range range : DataRanges.of(file)) {
                for (long at = Math.max(offset, range.start()); at < Math.min(range.end(), size); at += BLOCK) {
                    buffer.clear();
                    buffer.limit((int) Math.min(BLOCK, Math.min(range.end(), size) - at));
                    while (buffer.hasRemaining() && channel.read(buffer, at + buffer.position()) > 0) {
                        // reads until the block is full
                    }
                    int length = buffer.position();
                    int first = Arrays.mismatch(buffer.array(), 0, length, ZEROS, 0, length);
                    if (first >= 0) {
                        return new Block(at + first, Arrays.copyOfRange(buffer.array(), first, length), size);
                    }
                }
            }
            return new Block(size, null, size);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A read's block of {@code file}, or its end. */
    public static sh.chaser.agent.domain.SavedBlock read(Path file, sh.chaser.agent.domain.SavedFile kind, String name,
            long offset) {
        Block block = read(file, offset);
        return sh.chaser.agent.domain.SavedBlock.of(kind, name, block.offset(), block.data(), block.size());
    }

    /** A block another host read put in place: its data where it was, or, at its end, the file's size. */
    public static void put(Path file, sh.chaser.agent.domain.SavedBlock block) {
        if (block.eof()) {
            truncate(file, block.size());
        } else {
            write(file, block.offset(), block.data());
        }
    }

    /** Puts {@code data} at {@code offset} of {@code file} (made when missing, owner-only). */
    public static void write(Path file, long offset, byte[] data) {
        try (RandomAccessFile out = open(file)) {
            out.seek(offset);
            out.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file's size, holes included: what follows its last written block reads as zeros. */
    public static void truncate(Path file, long size) {
        try (RandomAccessFile out = open(file)) {
            out.setLength(size);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RandomAccessFile open(Path file) throws IOException {
        if (!java.nio.file.Files.exists(file)) {
            java.nio.file.Files.createFile(file, java.nio.file.attribute.PosixFilePermissions
                    .asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        }
        return new RandomAccessFile(file.toFile(), "rw");
    }
}
