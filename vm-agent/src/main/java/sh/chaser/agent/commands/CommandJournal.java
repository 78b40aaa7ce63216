package sh.chaser.agent.commands;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * What the host knows of each background command, {@code <id>.json} beside its output, written
 * atomically when it starts and when it ends: a restarted agent finds its commands again and
 * carries on copying the output of those still running from where its file ends.
 */
final class CommandJournal {

    /** One command as recorded; {@code exitCode} null while it runs. */
    record Entry(String id, String sessionId, String command, String guestId, long pid, Instant startedAt,
            Integer exitCode, Instant finishedAt) {}

    private static final Logger LOG = Logger.getLogger(CommandJournal.class);
    private static final String SUFFIX = ".json";
    private final ObjectMapper json = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    void save(Path dir, Entry entry) {
        Path temporary = dir.resolve(entry.id() + SUFFIX + ".tmp");
        try {
            Files.write(temporary, json.writeValueAsBytes(entry));
            Files.move(temporary, dir.resolve(entry.id() + SUFFIX), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record command " + entry.id(), e);
        }
    }

    /** The commands recorded in a session's directory, oldest first; unreadable ones are skipped. */
    List<Entry> load(Path dir) {
        List<Entry> entries = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).toList()) {
                try {
                    entries.add(json.readValue(file.toFile(), Entry.class));
                } catch (IOException | RuntimeException e) {
                    LOG.warnf("unreadable command record %s (%s): its command is not listed", file, e.getMessage());
                }
            }
        } catch (IOException e) {
            LOG.warnf("cannot list %s (%s)", dir, e.getMessage());
        }
        entries.sort(java.util.Comparator.comparing(Entry::startedAt));
        return entries;
    }

    static Path file(Path dir, String id) {
        return dir.resolve(id + SUFFIX);
    }
}
