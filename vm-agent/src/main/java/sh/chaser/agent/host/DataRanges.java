package sh.chaser.agent.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a sparse file has data, from the file system's extent map ({@code filefrag}, FIEMAP): a read
 * of a hole still costs a page of zeros per 4 KiB (a 10 GiB disk image with 100 MiB written took
 * seconds to scan), so reads skip what the map says is a hole. Preallocated (unwritten) extents read
 * as zeros and count as holes. Where the map cannot be had, the whole file counts as data.
 */
final class DataRanges {

    record Range(long start, long end) {}

    private static final Pattern EXTENT = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\.\\.\\s*(\\d+):.*$");
    private static final Map<String, List<Range>> KNOWN = new ConcurrentHashMap<>();

    private DataRanges() {}

    /** The file's data ranges (end exclusive), remembered while its size and modification time stay. */
    static List<Range> of(Path file) {
        String key;
        try {
            key = file.toAbsolutePath() + "|" + Files.size(file) + "|" + Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (KNOWN.size() > 256) {
            KNOWN.clear();
        }
        return KNOWN.computeIfAbsent(key, k -> map(file));
    }

    private static List<Range> map(Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var result = Commands.tryRun(List.of(Commands.executable("filefrag"), "-e", "-b1", file.toString()), null);
        if (result.exit() != 0) {
            return List.of(new Range(0, size));
        }
        List<Range> ranges = new ArrayList<>();
        for (String line : result.output().split("\n")) {
            Matcher m = EXTENT.matcher(line);
            if (m.matches() && !line.contains("unwritten")) {
                long start = Long.parseLong(m.group(1));
                long end = Math.min(size, Long.parseLong(m.group(2)) + 1);
                if (!ranges.isEmpty() && ranges.get(ranges.size() - 1).end() >= start) {
                    Range last = ranges.remove(ranges.size() - 1);
                    ranges.add(new Range(last.start(), Math.max(last.end(), end)));
                } else if (end > start) {
                    ranges.add(new Range(start, end));
                }
            }
        }
        return List.copyOf(ranges);
    }
}
