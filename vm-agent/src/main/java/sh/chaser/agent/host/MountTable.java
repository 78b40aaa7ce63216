package sh.chaser.agent.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The agent's view of {@code /proc/self/mountinfo}: the topmost mount at a path and its options. */
public final class MountTable {

    /** One mount point with its per-mount options (e.g. {@code rw,nosuid,nodev,relatime}). */
    public record Mount(Path point, List<String> options) {

        public boolean has(String option) {
            return options.contains(option);
        }
    }

    private MountTable() {}

    /** The last (topmost) mount whose mount point is exactly {@code point}. */
    public static Optional<Mount> find(Path point) {
        try {
            Mount found = null;
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] fields = line.split(" ");
                if (fields.length > 5 && Path.of(unescape(fields[4])).equals(point)) {
                    found = new Mount(point, List.of(fields[5].split(",")));
                }
            }
            return Optional.ofNullable(found);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The mount a path is on: the topmost of the longest mount points above or at it. */
    public static Mount containing(Path path) {
        try {
            Mount found = null;
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] fields = line.split(" ");
                Path point = fields.length > 5 ? Path.of(unescape(fields[4])) : null;
                if (point != null && path.startsWith(point)
                        && (found == null || point.getNameCount() >= found.point().getNameCount())) {
                    found = new Mount(point, List.of(fields[5].split(",")));
                }
            }
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every mount point strictly below {@code dir}, deepest first (the order to unmount them in). */
    public static List<Path> below(Path dir) {
        try {
            return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().map(line -> line.split(" "))
                    .filter(fields -> fields.length > 5).map(fields -> Path.of(unescape(fields[4])))
                    .filter(point -> point.startsWith(dir) && !point.equals(dir))
                    .sorted(java.util.Comparator.comparingInt(Path::getNameCount).reversed()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** mountinfo writes space, tab, newline and backslash as octal escapes. */
    static String unescape(String field) {
        return field.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }
}
