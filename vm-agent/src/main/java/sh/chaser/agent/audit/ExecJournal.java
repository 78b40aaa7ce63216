package sh.chaser.agent.audit;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;
import sh.chaser.proto.session.v1.ExecRecord;

/**
 * The execs this host served and session-service has not yet confirmed, in one append-only file
 * ({@code journal}: records framed by a 4-byte length) and the offset up to which they were
 * confirmed ({@code sent}). A record is appended before its exec is answered, so it outlives a
 * crash of the agent; a crash in the middle of an append leaves a torn tail, cut off on open. Once
 * everything is confirmed the file is emptied.
 */
public final class ExecJournal {

    /** Records from {@code from} up to {@code next}, the offset to confirm once they are recorded. */
    public record Batch(List<ExecRecord> records, long next) {}

    static final int MAX_RECORD = 64 << 10;
    /** Enough waiting records to send them without lingering for more. */
    private static final long LINGER_BYTES = 64 << 10;
    private static final Logger LOG = Logger.getLogger(ExecJournal.class);
    private final Path sentFile;
    private final FileChannel channel;
    private long end;
    private long sent;

    public ExecJournal(Path dir) {
        try {
            Files.createDirectories(dir);
            sentFile = dir.resolve("sent");
            channel = FileChannel.open(dir.resolve("journal"), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            end = channel.size();
            sent = Files.exists(sentFile) ? Long.parseLong(Files.readString(sentFile).trim()) : 0;
            if (sent > end) {
                // emptied after the last confirmation, before the offset was written
                saveSent(0);
            }
            long whole = wholeUpTo();
            if (whole < end) {
                LOG.warnf("exec journal %s: %d bytes of a record torn by a crash cut off", dir, end - whole);
                channel.truncate(whole);
                end = whole;
            }
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("cannot open the exec journal in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Appends a record (to the page cache: it survives the agent, {@link #pending} syncs it). */
    public synchronized void append(ExecRecord record) {
        byte[] bytes = record.toByteArray();
        ByteBuffer framed = ByteBuffer.allocate(4 + bytes.length).putInt(bytes.length).put(bytes).flip();
        try {
            while (framed.hasRemaining()) {
                end += channel.write(framed, end);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot journal exec " + record.getId(), e);
        }
        notifyAll();
    }

    /** Up to {@code max} records not yet confirmed, after waiting up to {@code waitMs} for one. */
    public Batch pending(int max, long waitMs) throws InterruptedException {
        return pending(max, waitMs, 0);
    }

    /**
     * Up to {@code max} records not yet confirmed, after waiting up to {@code waitMs} for one and
     * then {@code lingerMs} more for others to join it (one call for many execs under load). They
     * are synced to the disk first, without holding up the appends meanwhile.
     */
    public Batch pending(int max, long waitMs, long lingerMs) throws InterruptedException {
        long from;
        long upTo;
        synchronized (this) {
            if (end == sent && waitMs > 0) {
                wait(waitMs);
            }
            long deadline = System.nanoTime() + lingerMs * 1_000_000;
            for (long left = lingerMs; end > sent && end - sent < LINGER_BYTES
                    && left > 0; left = (deadline - System.nanoTime()) / 1_000_000) {
                wait(left);
            }
            from = sent;
            upTo = end;
        }
        // what lies before upTo no longer changes (appends go after it; only confirmed() cuts, from the caller's thread)
        List<ExecRecord> records = new ArrayList<>();
        long at = from;
        try {
            if (at < upTo) {
                channel.force(false);
            }
            while (records.size() < max && at < upTo) {
                int length = intAt(at);
                records.add(ExecRecord.parseFrom(read(at + 4, length)));
                at += 4 + length;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the exec journal", e);
        }
        return new Batch(records, at);
    }

    /** session-service recorded everything before {@code next}. */
    public synchronized void confirmed(long next) {
        try {
            if (next >= end) {
                channel.truncate(0);
                end = 0;
                saveSent(0);
            } else {
                saveSent(next);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the exec journal's offset", e);
        }
    }

    /** Bytes waiting to be confirmed. */
    public synchronized long backlog() {
        return end - sent;
    }

    public synchronized void close() throws IOException {
        channel.close();
    }

    private long wholeUpTo() throws IOException {
        long at = sent;
        while (at + 4 <= end) {
            int length = intAt(at);
            if (length < 0 || length > MAX_RECORD || at + 4 + length > end) {
                break;
            }
            try {
                ExecRecord.parseFrom(read(at + 4, length));
            } catch (InvalidProtocolBufferException e) {
                break;
            }
            at += 4 + length;
        }
        return at;
    }

    private int intAt(long at) throws IOException {
        return read(at, 4).getInt();
    }

    private ByteBuffer read(long at, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, at + buffer.position()) < 0) {
                throw new IOException("the exec journal ends inside a record at " + at);
            }
        }
        return buffer.flip();
    }

    private void saveSent(long offset) throws IOException {
        Path temporary = sentFile.resolveSibling("sent.tmp");
        Files.writeString(temporary, Long.toString(offset), StandardCharsets.US_ASCII);
        Files.move(temporary, sentFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        sent = offset;
    }
}
