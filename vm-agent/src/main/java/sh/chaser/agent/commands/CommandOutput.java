package sh.chaser.agent.commands;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A command's output on the host's disk: stdout and stderr appended to one file in arrival order,
 * so one byte offset space covers both, and an index of which stream wrote each run of bytes.
 * Readers ask for what lies after an offset and may wait for more until the command has ended.
 */
public final class CommandOutput implements AutoCloseable {

    /** A run of bytes from one stream, part of what {@link #read} returns. */
    public record Chunk(String stream, long offset, byte[] data) {

        public long end() {
            return offset + data.length;
        }
    }

    private static final int TRUNCATED = 2;
    private final Path path;
    private final RandomAccessFile file;
    private final RandomAccessFile runIndex; // {offset, stream} of each run, so a restarted agent reads them too
    private final OutputBudget budget;
    private final List<long[]> runs = new ArrayList<>(); // {offset, stream(0 out,1 err)}
    private final long max;
    private long size;
    private boolean ended;
    private boolean truncated;

    /** @param max bytes kept; what comes after them is dropped, after one line on stderr that says so */
    public CommandOutput(Path path, long max) {
        this(path, max, OutputBudget.unlimited());
    }

    /** @param budget the session's, which this command's output also counts against */
    public CommandOutput(Path path, long max, OutputBudget budget) {
        this(path, max, budget, false);
    }

    private CommandOutput(Path path, long max, OutputBudget budget, boolean keep) {
        this.max = max;
        this.path = path;
        this.budget = budget;
        try {
            this.file = new RandomAccessFile(path.toFile(), "rw");
            this.runIndex = new RandomAccessFile(runsOf(path).toFile(), "rw");
            if (!keep) {
                file.setLength(0);
                runIndex.setLength(0);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The output a previous agent process wrote, with its runs: appends continue at its end (the
     * offset the guest is asked from next), and its bytes count against the session's budget again.
     */
    public static CommandOutput reopen(Path path, long max, OutputBudget budget) throws IOException {
        CommandOutput output = new CommandOutput(path, max, budget, true);
        synchronized (output) {
            output.size = output.file.length();
            budget.take(output.size);
            long entries = output.runIndex.length() / 9;
            output.runIndex.seek(0);
            for (long i = 0; i < entries; i++) {
                long offset = output.runIndex.readLong();
                int stream = output.runIndex.readByte();
                if (stream == TRUNCATED) {
                    output.truncated = true;
                } else if (offset < output.size) {
                    output.runs.add(new long[]{ offset, stream });
                }
            }
            output.runIndex.setLength(entries * 9);
            if (output.runs.isEmpty() && output.size > 0) {
                output.runs.add(new long[]{ 0, 0 });
            }
        }
        return output;
    }

    private static Path runsOf(Path output) {
        String name = output.getFileName().toString();
        return output.resolveSibling(name.replaceFirst("\\.out$", "") + ".runs");
    }

    public synchronized void append(boolean stderr, byte[] data, int length) throws IOException {
        if (length <= 0 || truncated) {
            return;
        }
        int allowed = (int) Math.min(length, max - size);
        int granted = (int) budget.take(allowed);
        write(stderr, data, granted);
        if (granted < length) {
            String which = granted < allowed
                    ? "the session's " + budget.max() + " bytes of command output"
                    : max + " bytes";
            byte[] marker = ("\n[chaser: output truncated after " + which + "; the rest was dropped]\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            write(true, marker, marker.length);
            truncated = true;
            index(size, TRUNCATED);
        }
    }

    /** Whether output was dropped at the cap. */
    public synchronized boolean truncated() {
        return truncated;
    }

    private void write(boolean stderr, byte[] data, int length) throws IOException {
        if (length <= 0) {
            return;
        }
        int stream = stderr ? 1 : 0;
        if (runs.isEmpty() || runs.get(runs.size() - 1)[1] != stream) {
            // the run is indexed before its bytes are written: a crash in between leaves an entry past the end
            index(size, stream);
            runs.add(new long[]{ size, stream });
        }
        file.seek(size);
        file.write(data, 0, length);
        size += length;
        notifyAll();
    }

    private void index(long offset, int stream) throws IOException {
        runIndex.seek(runIndex.length());
        runIndex.writeLong(offset);
        runIndex.writeByte(stream);
    }

    /** No more output comes: wakes every waiting reader. */
    public synchronized void end() {
        ended = true;
        notifyAll();
    }

    public synchronized long size() {
        return size;
    }

    public synchronized boolean ended() {
        return ended;
    }

    /**
     * Up to {@code max} bytes from {@code offset} on, split where the stream changes; waits up to
     * {@code waitMs} when nothing is there yet. Empty when there is nothing (yet, or ever: see {@link #ended}).
     */
    public synchronized List<Chunk> read(long offset, int max, long waitMs) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + waitMs;
        while (offset >= size && !ended) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return List.of();
            }
            wait(left);
        }
        List<Chunk> chunks = new ArrayList<>();
        long at = offset;
        long limit = Math.min(size, offset + max);
        while (at < limit) {
            int run = runAt(at);
            long runEnd = run + 1 < runs.size() ? runs.get(run + 1)[0] : size;
            long end = Math.min(limit, runEnd);
            byte[] data = new byte[(int) (end - at)];
            file.seek(at);
            file.readFully(data);
            chunks.add(new Chunk(runs.get(run)[1] == 1 ? "stderr" : "stdout", at, data));
            at = end;
        }
        return chunks;
    }

    private int runAt(long offset) {
        int lo = 0;
        int hi = runs.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (runs.get(mid)[0] <= offset) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    @Override
    public synchronized void close() throws IOException {
        file.close();
        runIndex.close();
    }

    /** Closes and deletes the output, giving its bytes back to the session's budget. */
    public synchronized void discard() throws IOException {
        close();
        java.nio.file.Files.deleteIfExists(path);
        java.nio.file.Files.deleteIfExists(runsOf(path));
        budget.giveBack(size);
    }
}
