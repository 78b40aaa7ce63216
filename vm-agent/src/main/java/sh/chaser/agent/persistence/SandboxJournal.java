package sh.chaser.agent.persistence;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import sh.chaser.agent.domain.SandboxRecord;
import sh.chaser.agent.host.Files2;
import sh.chaser.agent.host.SandboxPaths;

/**
 * Sandbox records on the local disk, one {@code sandbox.json} per sandbox directory, each write
 * atomic (a temporary file renamed over the old one): a crash leaves the old or the new record.
 */
public final class SandboxJournal {

    private static final Logger LOG = Logger.getLogger(SandboxJournal.class);
    private static final String FILE = "sandbox.json";
    private final SandboxPaths paths;
    private final ObjectMapper json = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public SandboxJournal(SandboxPaths paths) {
        this.paths = paths;
    }

    public void save(SandboxRecord record) {
        Path dir = paths.sandbox(record.sessionId());
        Files2.createDirectories(dir);
        Path temporary = dir.resolve(FILE + ".tmp");
        try {
            Files.write(temporary, json.writeValueAsBytes(record));
            // the record holds the tenant's environment: root's alone
            Files.setPosixFilePermissions(temporary,
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            Files.move(temporary, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save sandbox " + record.sessionId(), e);
        }
    }

    public List<SandboxRecord> loadAll() {
        List<SandboxRecord> records = new ArrayList<>();
        if (!Files.isDirectory(paths.sandboxes())) {
            return records;
        }
        try (Stream<Path> dirs = Files.list(paths.sandboxes())) {
            for (Path dir : dirs.toList()) {
                Path file = dir.resolve(FILE);
                if (!Files.exists(file)) {
                    // a directory whose record was never written holds nothing that runs
                    Files2.deleteRecursively(dir);
                    continue;
                }
                try {
                    records.add(json.readValue(file.toFile(), SandboxRecord.class));
                } catch (IOException | RuntimeException e) {
                    LOG.errorf("unreadable sandbox record %s (%s): left in place for an operator", file,
                            e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return records;
    }

    /** Forgets a sandbox: its record and directory. */
    public void delete(String sessionId) {
        Files2.deleteRecursively(paths.sandbox(sessionId));
    }
}
