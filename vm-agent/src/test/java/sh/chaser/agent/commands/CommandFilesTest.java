package sh.chaser.agent.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sh.chaser.agent.domain.AgentException;
import sh.chaser.agent.domain.SavedBlock;
import sh.chaser.agent.domain.SavedFile;

/**
 * A moved sandbox's command files arrive by name from another host: a name is a command id and a
 * kind, so a name that climbs out of the session's directory, or names any other file, is refused and
 * writes nothing; a block that lies outside its file is refused. Positive control: a real name's
 * block is written and read back.
 */
class CommandFilesTest {

    @TempDir
    Path root;

    @Test
    void onlyACommandsOwnFilesAreWrittenAndEachBlockStaysInsideItsFile() throws Exception {
        Path dir = root.resolve("commands").resolve("session");
        String name = UUID.randomUUID() + ".out";
        byte[] data = "line1\n".getBytes(StandardCharsets.UTF_8);
        CommandFiles.write(dir, SavedBlock.of(SavedFile.COMMAND, name, 0, data, data.length));
        CommandFiles.write(dir, SavedBlock.of(SavedFile.COMMAND, name, 0, null, data.length));
        assertThat(CommandFiles.names(dir)).containsExactly(name);
        assertThat(CommandFiles.read(dir, name, 0).data()).isEqualTo(data);

        for (String hostile : new String[]{ "../../escape.out", "../" + name, "/etc/cron.d/x", "x.json",
                UUID.randomUUID() + ".sh", UUID.randomUUID() + ".out/../../x.out" }) {
            var refused = catchThrowableOfType(() -> CommandFiles.write(dir,
                    SavedBlock.of(SavedFile.COMMAND, hostile, 0, data, data.length)), AgentException.class);
            assertThat(refused).as(hostile).isNotNull();
            assertThat(refused.error().code()).isEqualTo("invalid_request");
        }
        try (var all = Files.walk(root)) {
            assertThat(all.filter(Files::isRegularFile).map(f -> f.getFileName().toString())).containsExactly(name);
        }
        var outside = catchThrowableOfType(() -> SavedBlock.of(SavedFile.COMMAND, name, 4, data, 8),
                AgentException.class);
        assertThat(outside).as("a block past its file's size").isNotNull();
        assertThat(catchThrowableOfType(() -> SavedBlock.of(SavedFile.COMMAND, name, -1, data, 8),
                AgentException.class)).as("a negative offset").isNotNull();
    }
}
