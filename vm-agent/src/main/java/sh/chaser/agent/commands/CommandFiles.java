package sh.chaser.agent.commands;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import sh.chaser.agent.domain.AgentError;
import sh.chaser.agent.domain.SavedBlock;
import sh.chaser.agent.domain.SavedFile;
import sh.chaser.agent.host.Files2;
import sh.chaser.agent.host.SparseBlocks;

/**
 * A paused sandbox's background commands as files that move with it: each command's record and its
 * output, by name. A name is a command id and a kind, nothing else (another host sends them).
 */
final class CommandFiles {

    private static final Pattern NAME = Pattern.compile("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}\\.(json|out)");

    private CommandFiles() {}

    static List<String> names(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> NAME.matcher(n).matches()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SavedBlock read(Path dir, String name, long offset) {
        Path file = dir.resolve(valid(name));
        if (!Files.isRegularFile(file)) {
            throw AgentError.INVALID_REQUEST.exception("the sandbox has no command file " + name);
        }
        SparseBlocks.Block block = SparseBlocks.read(file, offset);
        return block.data() == null
                ? new SavedBlock(SavedFile.COMMAND, name, block.size(), null, block.size(), true)
                : new SavedBlock(SavedFile.COMMAND, name, block.offset(), block.data(), block.size(), false);
    }

    static void write(Path dir, SavedBlock block) {
        Files2.createDirectories(dir);
        SparseBlocks.put(dir.resolve(valid(block.name())), block);
    }

    private static String valid(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw AgentError.INVALID_REQUEST.exception("a command file is named <command id>.json or .out");
        }
        return name;
    }
}
